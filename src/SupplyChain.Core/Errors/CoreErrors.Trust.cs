namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // Trusted root and signing config (SC11xx)

    /// <summary>SC1101: the trusted root is not valid JSON of the trusted-root schema.</summary>
    public static readonly ErrorCode TrustedRootMalformed = new("SC1101", ErrorCategory.TrustRootOrConfiguration, "the trusted root is not valid JSON of the trusted-root schema");

    /// <summary>SC1102: the trusted root media type is not supported.</summary>
    public static readonly ErrorCode TrustedRootUnsupportedMediaType = new("SC1102", ErrorCategory.TrustRootOrConfiguration, "the trusted root media type is not supported");

    /// <summary>SC1103: a key or CA in the trusted root has no validity start.</summary>
    public static readonly ErrorCode TrustedRootValidityStartMissing = new("SC1103", ErrorCategory.TrustRootOrConfiguration, "a key or CA in the trusted root has no validity start");

    /// <summary>SC1104: a public key in the trusted root cannot be used.</summary>
    public static readonly ErrorCode TrustedRootInvalidKey = new("SC1104", ErrorCategory.TrustRootOrConfiguration, "a public key in the trusted root cannot be used");

    /// <summary>SC1105: a certificate chain in the trusted root is invalid.</summary>
    public static readonly ErrorCode TrustedRootInvalidCertificateChain = new("SC1105", ErrorCategory.TrustRootOrConfiguration, "a certificate chain in the trusted root is invalid");

    /// <summary>SC1106: the signing config is not valid JSON of the signing-config schema.</summary>
    public static readonly ErrorCode SigningConfigMalformed = new("SC1106", ErrorCategory.TrustRootOrConfiguration, "the signing config is not valid JSON of the signing-config schema");

    /// <summary>SC1107: the signing config media type is not supported.</summary>
    public static readonly ErrorCode SigningConfigUnsupportedMediaType = new("SC1107", ErrorCategory.TrustRootOrConfiguration, "the signing config media type is not supported");

    /// <summary>SC1108: the trusted root or signing config exceeds the size limit.</summary>
    public static readonly ErrorCode TrustedRootTooLarge = new("SC1108", ErrorCategory.TrustRootOrConfiguration, "the trusted root or signing config exceeds the size limit");

    /// <summary>SC1109: the embedded trust root is missing from the assembly.</summary>
    public static readonly ErrorCode EmbeddedTrustRootMissing = new("SC1109", ErrorCategory.TrustRootOrConfiguration, "the embedded trust root is missing from the assembly");
}
