using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Converts between a Sigstore bundle and a legacy cosign signature layer (cosign <c>pkg/oci/static</c>, <c>pkg/cosign/bundle</c>):
/// the layer holds the signed content (a simple-signing payload, or a DSSE envelope for <c>.att</c>) and its annotations
/// carry the signature, certificate (PEM), chain (PEM), Rekor v1 signed entry timestamp and RFC 3161 timestamp.
/// Reading maps the layer straight to the equivalent typed v0.1 bundle (inclusion promise, no proof; no JSON round trip)
/// so Core's verifier checks it as any bundle.
/// </summary>
internal static class LegacySignatureLayer
{
    /// <summary>The annotations of a legacy layer carrying <paramref name="bundle"/>'s verification material.</summary>
    public static Dictionary<string, string> Annotations(SigstoreBundle bundle, string? predicateType)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bundle.MessageSignature is { } ms)
        {
            annotations[SignatureMediaTypes.SignatureAnnotation] = Convert.ToBase64String(ms.Signature.Span);
        }
        else
        {
            // cosign writes an empty signature annotation on .att layers: the signature is inside the envelope.
            annotations[SignatureMediaTypes.SignatureAnnotation] = string.Empty;
        }

        if (predicateType is not null)
        {
            annotations[SignatureMediaTypes.LegacyPredicateTypeAnnotation] = predicateType;
        }

        VerificationMaterial material = bundle.VerificationMaterial;
        if (material.HasCertificate)
        {
            annotations[SignatureMediaTypes.CertificateAnnotation] = Pem(material.LeafCertificate.Span);
            if (material.Certificates.Count > 1)
            {
                annotations[SignatureMediaTypes.ChainAnnotation] = string.Concat(material.Certificates.Skip(1).Select(c => Pem(c.Span)));
            }
        }

        if (material.TlogEntries.FirstOrDefault(e => e.SignedEntryTimestamp is not null) is { } entry)
        {
            annotations[SignatureMediaTypes.RekorBundleAnnotation] = RekorBundle(entry);
        }

        if (material.Rfc3161Timestamps.Count > 0)
        {
            annotations[SignatureMediaTypes.Rfc3161Annotation] = new JsonObject
            {
                ["SignedRFC3161Timestamp"] = Convert.ToBase64String(material.Rfc3161Timestamps[0].Span),
            }.ToJsonString();
        }

        return annotations;
    }

    /// <summary>The layer content of an <c>.att</c> layer: the bundle's DSSE envelope as cosign writes it.</summary>
    public static byte[] Envelope(DsseEnvelope envelope)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("payloadType", envelope.PayloadType);
            w.WriteBase64String("payload", envelope.Payload.Span);
            w.WriteStartArray("signatures");
            foreach (DsseSignature signature in envelope.Signatures)
            {
                w.WriteStartObject();
                w.WriteString("keyid", signature.KeyId ?? string.Empty);
                w.WriteBase64String("sig", signature.Signature.Span);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Whether the layer carries a certificate or a transparency-log entry (else it is key-signed without a log: what skopeo writes).</summary>
    public static bool HasCertificateOrLog(IReadOnlyDictionary<string, string> annotations) =>
        annotations.ContainsKey(SignatureMediaTypes.CertificateAnnotation) || annotations.ContainsKey(SignatureMediaTypes.RekorBundleAnnotation);

    /// <summary>The raw signature of a <c>.sig</c> layer (SC4406 when missing or not base64).</summary>
    public static byte[] Signature(IReadOnlyDictionary<string, string> annotations)
    {
        if (Annotation(annotations, SignatureMediaTypes.SignatureAnnotation) is not { Length: > 0 } text)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"no {SignatureMediaTypes.SignatureAnnotation} annotation");
        }

        return Base64(text, SignatureMediaTypes.SignatureAnnotation);
    }

    /// <summary>
    /// The v0.1 bundle equivalent to a legacy layer, built as a typed bundle (no JSON round trip): <paramref name="content"/>
    /// is the simple-signing payload (message signature over it) or, when <paramref name="isEnvelope"/>, the DSSE envelope
    /// JSON. Every annotation is read null-safely: a missing, null or mistyped value is SC4406; values the bundle model
    /// refuses keep the bundle's own SC10xx code (a certificate that is not DER is SC1015, as in a bundle).
    /// </summary>
    public static SigstoreBundle ToBundle(IReadOnlyDictionary<string, string> annotations, ReadOnlySpan<byte> content, bool isEnvelope)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        TransparencyLogEntry[] entries = Annotation(annotations, SignatureMediaTypes.RekorBundleAnnotation) is { } rekor ? [TlogEntry(rekor)] : [];
        ReadOnlyMemory<byte>[] timestamps = Annotation(annotations, SignatureMediaTypes.Rfc3161Annotation) is { } timestamp ? [Rfc3161Token(timestamp)] : [];
        VerificationMaterial material = KeyMaterial(annotations, entries, timestamps);
        return isEnvelope
            ? new SigstoreBundle(BundleMediaTypes.V0_1, material, ParseEnvelope(content))
            : new SigstoreBundle(BundleMediaTypes.V0_1, material, new MessageSignature("SHA2_256", SHA256.HashData(content), Signature(annotations)));
    }

    /// <summary>An annotation's value; <see langword="null"/> when absent or null (annotations come from untrusted JSON).</summary>
    private static string? Annotation(IReadOnlyDictionary<string, string> annotations, string name) =>
        annotations.TryGetValue(name, out string? value) ? value : null;

    private static VerificationMaterial KeyMaterial(IReadOnlyDictionary<string, string> annotations, TransparencyLogEntry[] entries, ReadOnlyMemory<byte>[] timestamps)
    {
        if (Annotation(annotations, SignatureMediaTypes.CertificateAnnotation) is not { Length: > 0 } certificate)
        {
            return VerificationMaterial.ForPublicKey(null, entries, timestamps);
        }

        var chain = Certificates(certificate, SignatureMediaTypes.CertificateAnnotation).ConvertAll(c => (ReadOnlyMemory<byte>)c);
        if (chain.Count != 1)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{SignatureMediaTypes.CertificateAnnotation} holds {chain.Count} certificates, expected 1");
        }

        if (Annotation(annotations, SignatureMediaTypes.ChainAnnotation) is { Length: > 0 } rest)
        {
            chain.AddRange(Certificates(rest, SignatureMediaTypes.ChainAnnotation).Select(c => (ReadOnlyMemory<byte>)c));
        }

        // Bundle v0.1 carries the certificate as x509CertificateChain (leaf first), as cosign's layers do.
        return VerificationMaterial.ForCertificateChain(chain, entries, timestamps);
    }

    /// <summary>cosign's Rekor bundle: <c>{"SignedEntryTimestamp":B64,"Payload":{"body":B64,"integratedTime":N,"logIndex":N,"logID":HEX}}</c>.</summary>
    private static TransparencyLogEntry TlogEntry(string rekorBundle)
    {
        const string name = SignatureMediaTypes.RekorBundleAnnotation;
        CosignRekorBundleJson root = ReadJson(Encoding.UTF8.GetBytes(rekorBundle), SignatureJsonContext.Default.CosignRekorBundleJson, name);
        CosignRekorPayloadJson payload = root.Payload ?? throw Missing(name, "Payload");
        byte[] set = Base64(root.SignedEntryTimestamp ?? throw Missing(name, "SignedEntryTimestamp"), "SignedEntryTimestamp");
        byte[] body = Base64(payload.Body ?? throw Missing(name, "body"), "Payload.body");
        long integratedTime = payload.IntegratedTime ?? throw Missing(name, "integratedTime");
        long logIndex = payload.LogIndex ?? throw Missing(name, "logIndex");
        byte[] logId = Hex(payload.LogId ?? throw Missing(name, "logID"), "Payload.logID");
        (string kind, string version) = KindOf(body);
        return new TransparencyLogEntry(logIndex, logId, kind, version, integratedTime, set, null, body);
    }

    /// <summary>The kind and apiVersion of a Rekor entry body (<c>{"apiVersion":V,"kind":K,"spec":...}</c>).</summary>
    private static (string Kind, string Version) KindOf(byte[] body)
    {
        const string name = SignatureMediaTypes.RekorBundleAnnotation + " Payload.body";
        RekorBodyKindJson document = ReadJson(body, SignatureJsonContext.Default.RekorBodyKindJson, name);
        return (document.Kind ?? throw Missing(name, "kind"), document.ApiVersion ?? throw Missing(name, "apiVersion"));
    }

    private static string RekorBundle(TransparencyLogEntry entry)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBase64String("SignedEntryTimestamp", entry.SignedEntryTimestamp!.Value.Span);
            w.WriteStartObject("Payload");
            w.WriteBase64String("body", entry.CanonicalizedBody.Span);
            w.WriteNumber("integratedTime", entry.IntegratedTime);
            w.WriteNumber("logIndex", entry.LogIndex);
            w.WriteString("logID", Convert.ToHexStringLower(entry.LogId.Span));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static byte[] Rfc3161Token(string annotation)
    {
        const string name = SignatureMediaTypes.Rfc3161Annotation;
        CosignRfc3161Json document = ReadJson(Encoding.UTF8.GetBytes(annotation), SignatureJsonContext.Default.CosignRfc3161Json, name);
        return Base64(document.SignedRfc3161Timestamp ?? throw Missing(name, "SignedRFC3161Timestamp"), "SignedRFC3161Timestamp");
    }

    /// <summary>
    /// The DSSE envelope of an <c>.att</c> layer, parsed as strictly as a bundle's <c>dsseEnvelope</c> (the field names
    /// are the same); anything malformed is SC4406 naming the bundle's code.
    /// </summary>
    private static DsseEnvelope ParseEnvelope(ReadOnlySpan<byte> content) =>
        DsseEnvelope.TryParse(content, out DsseEnvelope? envelope, out SupplyChainException? error)
            ? envelope
            : throw OciErrors.LegacyAnnotationsMalformed.ToException($"the DSSE envelope layer ({error.Code}): {error.Message}", error);

    /// <summary>
    /// Reads an annotation's (or entry body's) JSON into its DTO: SC4406 when it is not UTF-8, not JSON, not an object,
    /// or has a member of the wrong JSON type (a string integratedTime, a numeric logID).
    /// </summary>
    private static T ReadJson<T>(byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string name)
        where T : class
    {
        // RFC 8259 section 8.1: JSON is UTF-8; a Rekor body is base64 of arbitrary bytes.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{name} is not UTF-8");
        }

        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw OciErrors.LegacyAnnotationsMalformed.ToException($"{name} is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{name} is not JSON of the expected shape: {ex.Message}", ex);
        }
    }

    private static SupplyChainException Missing(string name, string member) =>
        OciErrors.LegacyAnnotationsMalformed.ToException($"{name}: '{member}' is missing");

    private static byte[] Hex(string text, string name)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException ex)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{name} is not hex", ex);
        }
    }

    private static List<byte[]> Certificates(string pem, string annotation)
    {
        var result = new List<byte[]>();
        ReadOnlySpan<char> rest = pem;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            if (!rest[fields.Label].SequenceEqual("CERTIFICATE") || result.Count >= 10)
            {
                throw OciErrors.LegacyAnnotationsMalformed.ToException($"{annotation}: not a CERTIFICATE PEM sequence of at most 10");
            }

            result.Add(Base64(rest[fields.Base64Data].ToString(), annotation));
            rest = rest[fields.Location.End..];
        }

        return result.Count > 0 ? result : throw OciErrors.LegacyAnnotationsMalformed.ToException($"{annotation}: no PEM certificate");
    }

    private static string Pem(ReadOnlySpan<byte> der) => new string(PemEncoding.Write("CERTIFICATE", der)) + "\n";

    private static byte[] Base64(string text, string name)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{name} is not base64", ex);
        }
    }
}
