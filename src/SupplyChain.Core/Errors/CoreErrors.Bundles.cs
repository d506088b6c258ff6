namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // Bundle parsing (SC10xx)

    /// <summary>SC1001: the bundle exceeds the size limit.</summary>
    public static readonly ErrorCode BundleTooLarge = new("SC1001", ErrorCategory.MalformedInput, "the bundle exceeds the size limit");

    /// <summary>SC1002: the bundle is not well-formed JSON.</summary>
    public static readonly ErrorCode BundleMalformedJson = new("SC1002", ErrorCategory.MalformedInput, "the bundle is not well-formed JSON");

    /// <summary>SC1003: the bundle has data after the JSON value.</summary>
    public static readonly ErrorCode BundleTrailingData = new("SC1003", ErrorCategory.MalformedInput, "the bundle has data after the JSON value");

    /// <summary>SC1004: the bundle has a duplicate JSON key.</summary>
    public static readonly ErrorCode BundleDuplicateKey = new("SC1004", ErrorCategory.MalformedInput, "the bundle has a duplicate JSON key");

    /// <summary>SC1005: the bundle JSON is nested too deeply.</summary>
    public static readonly ErrorCode BundleTooDeep = new("SC1005", ErrorCategory.MalformedInput, "the bundle JSON is nested too deeply");

    /// <summary>SC1006: the bundle has a field the bundle schema does not define.</summary>
    public static readonly ErrorCode BundleUnknownField = new("SC1006", ErrorCategory.MalformedInput, "the bundle has a field the bundle schema does not define");

    /// <summary>SC1007: the bundle media type or version is not supported.</summary>
    public static readonly ErrorCode BundleUnsupportedMediaType = new("SC1007", ErrorCategory.MalformedInput, "the bundle media type or version is not supported");

    /// <summary>SC1008: a bundle bytes field is not valid base64.</summary>
    public static readonly ErrorCode BundleInvalidBase64 = new("SC1008", ErrorCategory.MalformedInput, "a bundle bytes field is not valid base64");

    /// <summary>SC1009: a required bundle field is missing.</summary>
    public static readonly ErrorCode BundleMissingField = new("SC1009", ErrorCategory.MalformedInput, "a required bundle field is missing");

    /// <summary>SC1010: a log index or tree size is negative or out of range.</summary>
    public static readonly ErrorCode BundleInvalidLogIndex = new("SC1010", ErrorCategory.MalformedInput, "a log index or tree size is negative or out of range");

    /// <summary>SC1011: the certificate chain is empty.</summary>
    public static readonly ErrorCode BundleEmptyCertificateChain = new("SC1011", ErrorCategory.MalformedInput, "the certificate chain is empty");

    /// <summary>SC1012: the bundle breaks a rule of its version.</summary>
    public static readonly ErrorCode BundleVersionRuleViolated = new("SC1012", ErrorCategory.MalformedInput, "the bundle breaks a rule of its version");

    /// <summary>SC1013: the bundle must carry exactly one of messageSignature and dsseEnvelope.</summary>
    public static readonly ErrorCode BundleInvalidContent = new("SC1013", ErrorCategory.MalformedInput, "the bundle must carry exactly one of messageSignature and dsseEnvelope");

    /// <summary>SC1014: a numeric bundle field is not a valid integer.</summary>
    public static readonly ErrorCode BundleInvalidNumber = new("SC1014", ErrorCategory.MalformedInput, "a numeric bundle field is not a valid integer");

    /// <summary>SC1015: a certificate in the bundle is not valid DER.</summary>
    public static readonly ErrorCode BundleInvalidCertificate = new("SC1015", ErrorCategory.MalformedInput, "a certificate in the bundle is not valid DER");

    /// <summary>SC1016: a bundle field has a value outside its allowed set.</summary>
    public static readonly ErrorCode BundleInvalidFieldValue = new("SC1016", ErrorCategory.MalformedInput, "a bundle field has a value outside its allowed set");

    /// <summary>SC1017: a cryptographic structure in the bundle could not be decoded.</summary>
    public static readonly ErrorCode BundleCryptographicMaterialMalformed = new("SC1017", ErrorCategory.MalformedInput, "a cryptographic structure in the bundle could not be decoded");
}
