namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // RFC 3161 timestamps (SC14xx)

    /// <summary>SC1401: an RFC 3161 timestamp cannot be decoded.</summary>
    public static readonly ErrorCode TimestampMalformed = new("SC1401", ErrorCategory.MalformedInput, "an RFC 3161 timestamp cannot be decoded");

    /// <summary>SC1402: the timestamp signature does not verify.</summary>
    public static readonly ErrorCode TimestampSignatureInvalid = new("SC1402", ErrorCategory.VerificationFailed, "the timestamp signature does not verify");

    /// <summary>SC1403: the timestamp was not issued by a trusted timestamp authority.</summary>
    public static readonly ErrorCode TimestampUntrustedAuthority = new("SC1403", ErrorCategory.VerificationFailed, "the timestamp was not issued by a trusted timestamp authority");

    /// <summary>SC1404: the timestamp is over different data than the signature.</summary>
    public static readonly ErrorCode TimestampImprintMismatch = new("SC1404", ErrorCategory.VerificationFailed, "the timestamp is over different data than the signature");

    /// <summary>SC1405: the timestamp authority was not valid at the timestamp time.</summary>
    public static readonly ErrorCode TimestampAuthorityNotValidAtTime = new("SC1405", ErrorCategory.VerificationFailed, "the timestamp authority was not valid at the timestamp time");

    /// <summary>SC1406: fewer verified timestamps than the threshold.</summary>
    public static readonly ErrorCode TimestampThresholdNotMet = new("SC1406", ErrorCategory.VerificationFailed, "fewer verified timestamps than the threshold");

    /// <summary>SC1407: no verified time (SET or RFC 3161 timestamp) to check the certificate at.</summary>
    public static readonly ErrorCode NoVerifiedTime = new("SC1407", ErrorCategory.VerificationFailed, "no verified time (SET or RFC 3161 timestamp) to check the certificate at");

    /// <summary>SC1408: the timestamp's message imprint uses an unsupported hash algorithm.</summary>
    public static readonly ErrorCode TimestampImprintAlgorithmUnsupported = new("SC1408", ErrorCategory.VerificationFailed, "the timestamp's message imprint uses an unsupported hash algorithm");

    /// <summary>SC1409: the bundle carries the same RFC 3161 timestamp twice.</summary>
    public static readonly ErrorCode TimestampDuplicate = new("SC1409", ErrorCategory.VerificationFailed, "the bundle carries the same RFC 3161 timestamp twice");
}
