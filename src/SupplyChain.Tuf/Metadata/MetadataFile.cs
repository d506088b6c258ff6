using System.Text.Json;
using System.Text.Unicode;

namespace SupplyChain.Tuf.Metadata;

/// <summary>One signature entry: <c>{"keyid": ..., "sig": hex}</c>.</summary>
internal sealed record TufSignature(string KeyId, string Sig);

/// <summary>
/// The envelope every TUF metadata file shares (TUF spec 4.2): <c>{"signed": {...}, "signatures": [...]}</c>,
/// with <c>_type</c>, <c>spec_version</c>, <c>version</c> and <c>expires</c> read from <c>signed</c>, and the
/// canonical JSON of <c>signed</c> that the signatures cover.
/// </summary>
internal sealed class MetadataFile
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = Limits.MaxJsonDepth,
        AllowDuplicateProperties = false,
    };

    private MetadataFile(string type, long version, DateTimeOffset expires, JsonElement signed, byte[] canonicalSigned, IReadOnlyList<TufSignature> signatures, byte[] raw)
    {
        Type = type;
        Version = version;
        Expires = expires;
        Signed = signed;
        CanonicalSigned = canonicalSigned;
        Signatures = signatures;
        Raw = raw;
    }

    public string Type { get; }

    public long Version { get; }

    public DateTimeOffset Expires { get; }

    public JsonElement Signed { get; }

    public byte[] CanonicalSigned { get; }

    public IReadOnlyList<TufSignature> Signatures { get; }

    /// <summary>The bytes as served (hashes are over these).</summary>
    public byte[] Raw { get; }

    /// <summary>Parses the envelope and checks <c>_type</c> equals <paramref name="expectedType"/>.</summary>
    /// <exception cref="Core.Errors.MalformedInputException">SC3004, SC3024.</exception>
    /// <exception cref="Core.Errors.VerificationFailedException">SC3005 for another role type.</exception>
    public static MetadataFile Parse(byte[] raw, string expectedType, string name)
    {
        // RFC 8259 section 8.1: JSON exchanged between systems "MUST be encoded using UTF-8". System.Text.Json checks a
        // string's bytes only when it is read, and then throws InvalidOperationException (found by fuzzing tuf-metadata).
        if (!Utf8.IsValid(raw))
        {
            throw TufErrors.MetadataMalformed.ToException($"{name} is not UTF-8");
        }

        // DOM on purpose, not a DTO: the signatures cover the canonical JSON of 'signed' as a whole (TUF spec 4.2, securesystemslib
        // canonical form), fields this client does not read included, so 'signed' is kept as a JSON value and re-encoded exactly.
        JsonElement root;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(raw, DocumentOptions);
            root = doc.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // System.Text.Json's duplicate-name check (AllowDuplicateProperties = false) unescapes each property name and throws
            // InvalidOperationException, not JsonException, for an escaped lone surrogate ("\ud800"): malformed input all the same.
            throw TufErrors.MetadataMalformed.ToException($"{name} is not valid JSON", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw TufErrors.MetadataMalformed.ToException($"{name} is not a JSON object");
        }

        JsonElement signed = Json.Object(root, "signed", name);

        // Encoded first: it decodes every name and string of the signed part once, so an escape that does not decode
        // (RFC 8259 section 8.2: an unpaired surrogate such as "\ud800") is SC3004 here and never reaches a later read.
        byte[] canonicalSigned;
        try
        {
            canonicalSigned = CanonicalJson.Encode(signed);
        }
        catch (InvalidOperationException ex)
        {
            throw TufErrors.MetadataMalformed.ToException($"{name}: a string of 'signed' is not well-formed Unicode", ex);
        }

        JsonElement sigArray = Json.Array(root, "signatures", name);
        if (sigArray.GetArrayLength() > Limits.MaxSignatures)
        {
            throw TufErrors.MetadataMalformed.ToException($"{name} has more than {Limits.MaxSignatures} signatures");
        }

        var signatures = new List<TufSignature>();
        foreach (JsonElement s in sigArray.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object)
            {
                throw TufErrors.MetadataMalformed.ToException($"{name}: a signature is not an object");
            }

            signatures.Add(new TufSignature(Json.String(s, "keyid", name), Json.String(s, "sig", name)));
        }

        // TUF spec 4.2: "KEYID is the identifier of the key signing the ROLE dictionary": one signature per key. As python-tuf
        // (and tuf-conformance's test_duplicate_sig_keyids), a file listing a keyid twice is rejected, not merely counted once.
        if (signatures.Select(s => s.KeyId).Distinct(StringComparer.Ordinal).Count() != signatures.Count)
        {
            throw TufErrors.MetadataMalformed.ToException($"{name} has more than one signature with the same keyid");
        }

        string type = Json.String(signed, "_type", name);
        if (!string.Equals(type, expectedType, StringComparison.Ordinal))
        {
            throw TufErrors.WrongRoleType.ToException($"{name} has _type '{type}', expected '{expectedType}'");
        }

        // TUF spec 4.2: "spec_version ... Clients MUST NOT accept metadata with a major version they do not support."
        string spec = Json.String(signed, "spec_version", name);
        string major = spec.Split('.')[0];
        if (major != "1")
        {
            throw TufErrors.UnsupportedSpecVersion.ToException($"{name} has spec_version '{spec}'");
        }

        long version = Json.Integer(signed, "version", name, 1);
        string expiresText = Json.String(signed, "expires", name);
        if (!TufTime.TryParse(expiresText, out DateTimeOffset expires))
        {
            throw TufErrors.MetadataMalformed.ToException($"{name}: 'expires' is not a date-time: '{expiresText}'");
        }

        return new MetadataFile(type, version, expires, signed, canonicalSigned, signatures, raw);
    }
}
