namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // Certificates and SCTs (SC13xx)

    /// <summary>SC1301: the certificate does not chain to a trusted certificate authority.</summary>
    public static readonly ErrorCode CertificateUntrusted = new("SC1301", ErrorCategory.VerificationFailed, "the certificate does not chain to a trusted certificate authority");

    /// <summary>SC1302: the certificate was not valid at a verified time.</summary>
    public static readonly ErrorCode CertificateNotValidAtTime = new("SC1302", ErrorCategory.VerificationFailed, "the certificate was not valid at a verified time");

    /// <summary>SC1303: no certificate authority was valid at the verified time.</summary>
    public static readonly ErrorCode CertificateAuthorityNotValidAtTime = new("SC1303", ErrorCategory.VerificationFailed, "no certificate authority was valid at the verified time");

    /// <summary>SC1304: the certificate is not a code-signing leaf certificate.</summary>
    public static readonly ErrorCode CertificateInvalidUsage = new("SC1304", ErrorCategory.VerificationFailed, "the certificate is not a code-signing leaf certificate");

    /// <summary>SC1305: the certificate carries no embedded SCT.</summary>
    public static readonly ErrorCode SctMissing = new("SC1305", ErrorCategory.VerificationFailed, "the certificate carries no embedded SCT");

    /// <summary>SC1306: no embedded SCT verifies against a trusted CT log.</summary>
    public static readonly ErrorCode SctInvalid = new("SC1306", ErrorCategory.VerificationFailed, "no embedded SCT verifies against a trusted CT log");

    /// <summary>SC1307: a certificate cannot be parsed.</summary>
    public static readonly ErrorCode CertificateMalformed = new("SC1307", ErrorCategory.MalformedInput, "a certificate cannot be parsed");

    /// <summary>SC1308: a Fulcio certificate extension is malformed.</summary>
    public static readonly ErrorCode FulcioExtensionMalformed = new("SC1308", ErrorCategory.VerificationFailed, "a Fulcio certificate extension is malformed");

    /// <summary>SC1309: a certificate the bundle carries after its leaf is not part of the trusted CA chain.</summary>
    public static readonly ErrorCode CertificateChainMismatch = new("SC1309", ErrorCategory.VerificationFailed, "a certificate the bundle carries after its leaf is not part of the trusted CA chain");
}
