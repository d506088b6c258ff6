namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // Signatures, DSSE and in-toto (SC15xx)

    /// <summary>SC1501: the signature does not verify over the artifact.</summary>
    public static readonly ErrorCode SignatureInvalid = new("SC1501", ErrorCategory.VerificationFailed, "the signature does not verify over the artifact");

    /// <summary>SC1502: the artifact does not match what was signed (its digest is not the one the bundle signed).</summary>
    public static readonly ErrorCode ArtifactDigestMismatch = new("SC1502", ErrorCategory.VerificationFailed, "the artifact does not match what was signed");

    /// <summary>SC1503: the DSSE envelope signature does not verify.</summary>
    public static readonly ErrorCode DsseSignatureInvalid = new("SC1503", ErrorCategory.VerificationFailed, "the DSSE envelope signature does not verify");

    /// <summary>SC1504: no in-toto statement subject matches the artifact.</summary>
    public static readonly ErrorCode InTotoSubjectMismatch = new("SC1504", ErrorCategory.VerificationFailed, "no in-toto statement subject matches the artifact");

    /// <summary>SC1505: the DSSE payload is not a valid in-toto statement.</summary>
    public static readonly ErrorCode InTotoStatementMalformed = new("SC1505", ErrorCategory.VerificationFailed, "the DSSE payload is not a valid in-toto statement");

    /// <summary>SC1506: the key or signature algorithm is not supported.</summary>
    public static readonly ErrorCode UnsupportedKeyAlgorithm = new("SC1506", ErrorCategory.VerificationFailed, "the key or signature algorithm is not supported");

    /// <summary>SC1507: the supplied public key cannot be parsed.</summary>
    public static readonly ErrorCode PublicKeyMalformed = new("SC1507", ErrorCategory.MalformedInput, "the supplied public key cannot be parsed");

    /// <summary>SC1508: this signature algorithm cannot be verified from a digest alone.</summary>
    public static readonly ErrorCode DigestOnlyUnsupported = new("SC1508", ErrorCategory.MalformedInput, "this signature algorithm cannot be verified from a digest alone");

    /// <summary>SC1509: the DSSE envelope must carry exactly one signature.</summary>
    public static readonly ErrorCode DsseEnvelopeInvalid = new("SC1509", ErrorCategory.VerificationFailed, "the DSSE envelope must carry exactly one signature");

    /// <summary>SC1510: the artifact could not be read.</summary>
    public static readonly ErrorCode ArtifactUnreadable = new("SC1510", ErrorCategory.MalformedInput, "the artifact could not be read");
}
