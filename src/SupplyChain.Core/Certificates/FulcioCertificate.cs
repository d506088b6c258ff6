using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// The identity a Fulcio certificate carries: its Subject Alternative Name and the Fulcio extensions of OID arc
/// 1.3.6.1.4.1.57264.1 (Fulcio docs/oid-info.md), named as sigstore-go's <c>certificate.Extensions</c> JSON fields so
/// a policy can match any of them by name through <see cref="Extensions"/>. Parsing does not verify the certificate.
/// </summary>
public sealed class FulcioCertificate
{
    /// <summary>The Fulcio OID arc; extension <c>n</c> is <c>1.3.6.1.4.1.57264.1.n</c>.</summary>
    public const string FulcioOidArc = "1.3.6.1.4.1.57264.1";

    private const string IssuerV1Oid = FulcioOidArc + ".1";
    private const string OtherNameOid = FulcioOidArc + ".7";
    private const string IssuerV2Oid = FulcioOidArc + ".8";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // (OID suffix, sigstore-go JSON name, DER-encoded string rather than raw bytes)
    private static readonly ExtensionField[] Fields =
    [
        new("2", "githubWorkflowTrigger", false),
        new("3", "githubWorkflowSHA", false),
        new("4", "githubWorkflowName", false),
        new("5", "githubWorkflowRepository", false),
        new("6", "githubWorkflowRef", false),
        new("9", "buildSignerURI", true),
        new("10", "buildSignerDigest", true),
        new("11", "runnerEnvironment", true),
        new("12", "sourceRepositoryURI", true),
        new("13", "sourceRepositoryDigest", true),
        new("14", "sourceRepositoryRef", true),
        new("15", "sourceRepositoryIdentifier", true),
        new("16", "sourceRepositoryOwnerURI", true),
        new("17", "sourceRepositoryOwnerIdentifier", true),
        new("18", "buildConfigURI", true),
        new("19", "buildConfigDigest", true),
        new("20", "buildTrigger", true),
        new("21", "runInvocationURI", true),
        new("22", "sourceRepositoryVisibilityAtSigning", true),
    ];

    private readonly Dictionary<string, string> _extensions;

    private FulcioCertificate(string? subjectAlternativeName, Dictionary<string, string> extensions)
    {
        SubjectAlternativeName = subjectAlternativeName;
        _extensions = extensions;
        Extensions = extensions.AsReadOnly();
    }

    /// <summary>
    /// The identity used for matching: the first URI SAN, else the first email (rfc822Name) SAN, else the first
    /// otherName SAN of type 1.3.6.1.4.1.57264.1.7 (a UTF8String, Fulcio's "username" identities);
    /// <see langword="null"/> when the certificate has none of them.
    /// </summary>
    public string? SubjectAlternativeName { get; }

    /// <summary>
    /// Every Fulcio extension present, keyed by the sigstore-go JSON name (<c>issuer</c>, <c>githubWorkflowTrigger</c>,
    /// ..., <c>sourceRepositoryVisibilityAtSigning</c>). Absent extensions have no entry.
    /// </summary>
    public IReadOnlyDictionary<string, string> Extensions { get; }

    /// <summary>
    /// The OIDC issuer: extension 1.3.6.1.4.1.57264.1.8 (DER UTF8String) when present, else the deprecated
    /// 1.3.6.1.4.1.57264.1.1 (raw string).
    /// </summary>
    public string? Issuer => Get("issuer");

    /// <summary>Deprecated (use <see cref="BuildTrigger"/>): the GitHub workflow trigger (<c>event_name</c> claim), OID 1.3.6.1.4.1.57264.1.2, raw string.</summary>
    public string? GitHubWorkflowTrigger => Get("githubWorkflowTrigger");

    /// <summary>Deprecated (use <see cref="SourceRepositoryDigest"/>): the commit SHA of the workflow run (<c>sha</c> claim), OID 1.3.6.1.4.1.57264.1.3, raw string.</summary>
    public string? GitHubWorkflowSha => Get("githubWorkflowSHA");

    /// <summary>Deprecated (use <see cref="BuildConfigUri"/>): the workflow name (<c>workflow</c> claim), OID 1.3.6.1.4.1.57264.1.4, raw string.</summary>
    public string? GitHubWorkflowName => Get("githubWorkflowName");

    /// <summary>Deprecated (use <see cref="SourceRepositoryUri"/>): the repository (<c>repository</c> claim), OID 1.3.6.1.4.1.57264.1.5, raw string.</summary>
    public string? GitHubWorkflowRepository => Get("githubWorkflowRepository");

    /// <summary>Deprecated (use <see cref="SourceRepositoryRef"/>): the git ref (<c>ref</c> claim), OID 1.3.6.1.4.1.57264.1.6, raw string.</summary>
    public string? GitHubWorkflowRef => Get("githubWorkflowRef");

    /// <summary>Reference to the build instructions responsible for signing, OID 1.3.6.1.4.1.57264.1.9. DER UTF8String.</summary>
    public string? BuildSignerUri => Get("buildSignerURI");

    /// <summary>Immutable reference to the version of the build instructions responsible for signing, OID 1.3.6.1.4.1.57264.1.10. DER UTF8String.</summary>
    public string? BuildSignerDigest => Get("buildSignerDigest");

    /// <summary>Whether the build ran on platform-hosted or self-hosted infrastructure, OID 1.3.6.1.4.1.57264.1.11. DER UTF8String.</summary>
    public string? RunnerEnvironment => Get("runnerEnvironment");

    /// <summary>Source repository URL the build was based on, OID 1.3.6.1.4.1.57264.1.12. DER UTF8String.</summary>
    public string? SourceRepositoryUri => Get("sourceRepositoryURI");

    /// <summary>Immutable reference to the source code version the build was based on, OID 1.3.6.1.4.1.57264.1.13. DER UTF8String.</summary>
    public string? SourceRepositoryDigest => Get("sourceRepositoryDigest");

    /// <summary>Source repository ref the build was based on, OID 1.3.6.1.4.1.57264.1.14. DER UTF8String.</summary>
    public string? SourceRepositoryRef => Get("sourceRepositoryRef");

    /// <summary>Immutable identifier of the source repository, OID 1.3.6.1.4.1.57264.1.15. DER UTF8String.</summary>
    public string? SourceRepositoryIdentifier => Get("sourceRepositoryIdentifier");

    /// <summary>URL of the source repository's owner, OID 1.3.6.1.4.1.57264.1.16. DER UTF8String.</summary>
    public string? SourceRepositoryOwnerUri => Get("sourceRepositoryOwnerURI");

    /// <summary>Immutable identifier of the source repository's owner, OID 1.3.6.1.4.1.57264.1.17. DER UTF8String.</summary>
    public string? SourceRepositoryOwnerIdentifier => Get("sourceRepositoryOwnerIdentifier");

    /// <summary>URL of the top-level build instructions, OID 1.3.6.1.4.1.57264.1.18. DER UTF8String.</summary>
    public string? BuildConfigUri => Get("buildConfigURI");

    /// <summary>Immutable reference to the version of the top-level build instructions, OID 1.3.6.1.4.1.57264.1.19. DER UTF8String.</summary>
    public string? BuildConfigDigest => Get("buildConfigDigest");

    /// <summary>Event or action that initiated the build, OID 1.3.6.1.4.1.57264.1.20. DER UTF8String.</summary>
    public string? BuildTrigger => Get("buildTrigger");

    /// <summary>URL that uniquely identifies the build execution, OID 1.3.6.1.4.1.57264.1.21. DER UTF8String.</summary>
    public string? RunInvocationUri => Get("runInvocationURI");

    /// <summary>Source repository visibility when the certificate was issued, OID 1.3.6.1.4.1.57264.1.22. DER UTF8String.</summary>
    public string? SourceRepositoryVisibilityAtSigning => Get("sourceRepositoryVisibilityAtSigning");

    /// <summary>Reads the SAN and Fulcio extensions of <paramref name="leaf"/>.</summary>
    /// <param name="leaf">A Fulcio-issued certificate.</param>
    /// <returns>The parsed identity.</returns>
    /// <exception cref="VerificationFailedException">SC1308 when a Fulcio extension or the SAN extension is malformed.</exception>
    /// <exception cref="MalformedInputException">SC1307 when the certificate itself cannot be parsed.</exception>
    public static FulcioCertificate Parse(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return Parse(CertificateDer.Parse(leaf.RawDataMemory));
    }

    /// <summary>Reads the SAN and Fulcio extensions of a parsed certificate.</summary>
    /// <param name="certificate">A parsed Fulcio-issued certificate.</param>
    /// <returns>The parsed identity.</returns>
    /// <exception cref="VerificationFailedException">SC1308 when a Fulcio extension or the SAN extension is malformed.</exception>
    internal static FulcioCertificate Parse(CertificateDer certificate)
    {
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        string? issuerV1 = null;
        string? issuerV2 = null;
        string? san = null;
        foreach (CertificateExtension extension in certificate.Extensions)
        {
            if (extension.Oid == CertificateProfile.SubjectAltNameOid)
            {
                san = ReadSubjectAlternativeName(extension.Value);
                continue;
            }

            if (!extension.Oid.StartsWith(FulcioOidArc + ".", StringComparison.Ordinal))
            {
                continue;
            }

            if (extension.Oid == IssuerV1Oid)
            {
                issuerV1 = ReadRaw(extension);
                continue;
            }

            if (extension.Oid == IssuerV2Oid)
            {
                issuerV2 = ReadDerString(extension);
                continue;
            }

            string suffix = extension.Oid[(FulcioOidArc.Length + 1)..];
            foreach (ExtensionField field in Fields)
            {
                if (field.Suffix == suffix)
                {
                    extensions[field.JsonName] = field.DerString ? ReadDerString(extension) : ReadRaw(extension);
                    break;
                }
            }
        }

        if ((issuerV2 ?? issuerV1) is { } issuer)
        {
            extensions["issuer"] = issuer;
        }

        return new FulcioCertificate(san, extensions);
    }

    private string? Get(string jsonName) => _extensions.TryGetValue(jsonName, out string? value) ? value : null;

    // Extensions .1 to .6 hold the claim's bytes directly as the extnValue (Fulcio docs/oid-info.md).
    private static string ReadRaw(CertificateExtension extension)
    {
        try
        {
            return StrictUtf8.GetString(extension.Value.Span);
        }
        catch (DecoderFallbackException ex)
        {
            throw CoreErrors.FulcioExtensionMalformed.ToException($"extension {extension.Oid} is not UTF-8", ex);
        }
    }

    // Extensions .8 and .9 onwards hold a DER-encoded string with no trailing bytes (Fulcio docs/oid-info.md:
    // "DER-encoded UTF8String"; PrintableString and IA5String, subsets of UTF-8, are accepted as Go's asn1 does).
    private static string ReadDerString(CertificateExtension extension)
    {
        try
        {
            var reader = new AsnReader(extension.Value, AsnEncodingRules.DER);
            Asn1Tag tag = reader.PeekTag();
            UniversalTagNumber type;
            if (tag == new Asn1Tag(UniversalTagNumber.UTF8String))
            {
                type = UniversalTagNumber.UTF8String;
            }
            else if (tag == new Asn1Tag(UniversalTagNumber.PrintableString))
            {
                type = UniversalTagNumber.PrintableString;
            }
            else if (tag == new Asn1Tag(UniversalTagNumber.IA5String))
            {
                type = UniversalTagNumber.IA5String;
            }
            else
            {
                throw CoreErrors.FulcioExtensionMalformed.ToException($"extension {extension.Oid} is not a DER string (tag {tag})");
            }

            string value = reader.ReadCharacterString(type);
            reader.ThrowIfNotEmpty();
            return value;
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.FulcioExtensionMalformed.ToException($"extension {extension.Oid} is not a DER string", ex);
        }
    }

    // RFC 5280 section 4.2.1.6: GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName; GeneralName ::= CHOICE {
    // otherName [0] OtherName, rfc822Name [1] IA5String, dNSName [2] IA5String, x400Address [3], directoryName [4],
    // ediPartyName [5], uniformResourceIdentifier [6] IA5String, iPAddress [7] OCTET STRING, registeredID [8] OID }
    // and OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY DEFINED BY type-id }.
    private static string? ReadSubjectAlternativeName(ReadOnlyMemory<byte> value)
    {
        var otherNameTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        var emailTag = new Asn1Tag(TagClass.ContextSpecific, 1);
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        var explicitValue = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        string? uri = null;
        string? email = null;
        string? otherName = null;
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            AsnReader names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!names.HasData)
            {
                throw CoreErrors.FulcioExtensionMalformed.ToException("the subjectAltName extension is empty");
            }

            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag == uriTag)
                {
                    string name = names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag);
                    uri ??= name;
                }
                else if (tag == emailTag)
                {
                    string name = names.ReadCharacterString(UniversalTagNumber.IA5String, emailTag);
                    email ??= name;
                }
                else if (tag == otherNameTag)
                {
                    AsnReader other = names.ReadSequence(otherNameTag);
                    string typeId = other.ReadObjectIdentifier();
                    AsnReader wrapped = other.ReadSequence(explicitValue);
                    other.ThrowIfNotEmpty();
                    if (typeId == OtherNameOid)
                    {
                        string name = wrapped.ReadCharacterString(UniversalTagNumber.UTF8String);
                        wrapped.ThrowIfNotEmpty();
                        otherName ??= name;
                    }
                }
                else
                {
                    _ = names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.FulcioExtensionMalformed.ToException("the subjectAltName extension is not valid DER", ex);
        }

        return uri ?? email ?? otherName;
    }

    private readonly record struct ExtensionField(string Suffix, string JsonName, bool DerString);
}
