using SupplyChain.Core.Errors;

namespace SupplyChain.Signing;

public static partial class SigningErrors
{
    // Fulcio, Rekor and TSA clients, bundle signer (SC22xx)

    /// <summary>SC2201: a Sigstore service (Fulcio, Rekor, TSA) answered with a 4xx or 5xx status (after bounded retries for 5xx and 429).</summary>
    public static readonly ErrorCode ServiceStatus = new("SC2201", ErrorCategory.ServiceFailure, "a Sigstore service (Fulcio, Rekor, TSA) answered with a 4xx or 5xx status (after bounded retries for 5xx and 429)");

    /// <summary>SC2202: a Sigstore service did not answer within the timeout.</summary>
    public static readonly ErrorCode ServiceTimeout = new("SC2202", ErrorCategory.ServiceFailure, "a Sigstore service did not answer within the timeout");

    /// <summary>SC2203: a Sigstore service could not be reached (connection failed).</summary>
    public static readonly ErrorCode ServiceUnreachable = new("SC2203", ErrorCategory.ServiceFailure, "a Sigstore service could not be reached (connection failed)");

    /// <summary>SC2204: a service response is not what the API defines (not JSON, missing fields, undecodable certificate or timestamp).</summary>
    public static readonly ErrorCode ServiceResponseMalformed = new("SC2204", ErrorCategory.MalformedInput, "a service response is not what the API defines (not JSON, missing fields, undecodable certificate or timestamp)");

    /// <summary>SC2205: a service response is larger than the limit.</summary>
    public static readonly ErrorCode ServiceResponseTooLarge = new("SC2205", ErrorCategory.MalformedInput, "a service response is larger than the limit");

    /// <summary>SC2206: Fulcio issued a certificate for a different public key than ours.</summary>
    public static readonly ErrorCode CertificateKeyMismatch = new("SC2206", ErrorCategory.VerificationFailed, "Fulcio issued a certificate for a different public key than ours");

    /// <summary>SC2207: Fulcio issued a certificate for a different identity (SAN) or issuer than the token's.</summary>
    public static readonly ErrorCode CertificateIdentityMismatch = new("SC2207", ErrorCategory.VerificationFailed, "Fulcio issued a certificate for a different identity (SAN) or issuer than the token's");

    /// <summary>SC2208: the transparency log returned an entry for a different body than the one proposed.</summary>
    public static readonly ErrorCode LogEntryMismatch = new("SC2208", ErrorCategory.VerificationFailed, "the transparency log returned an entry for a different body than the one proposed");

    /// <summary>SC2209: the timestamp authority returned a timestamp over a different digest.</summary>
    public static readonly ErrorCode TimestampDigestMismatch = new("SC2209", ErrorCategory.VerificationFailed, "the timestamp authority returned a timestamp over a different digest");

    /// <summary>SC2210: the timestamp authority returned a timestamp with a different nonce.</summary>
    public static readonly ErrorCode TimestampNonceMismatch = new("SC2210", ErrorCategory.VerificationFailed, "the timestamp authority returned a timestamp with a different nonce");

    /// <summary>SC2211: the timestamp authority did not grant the request (PKIStatus not granted).</summary>
    public static readonly ErrorCode TimestampNotGranted = new("SC2211", ErrorCategory.ServiceFailure, "the timestamp authority did not grant the request (PKIStatus not granted)");

    /// <summary>SC2212: no usable Fulcio, Rekor or TSA service: none valid now in the signing config for a supported API version, and no URL given.</summary>
    public static readonly ErrorCode NoServiceConfigured = new("SC2212", ErrorCategory.TrustRootOrConfiguration, "no usable Fulcio, Rekor or TSA service: none valid now in the signing config for a supported API version, and no URL given");

    /// <summary>SC2213: the bundle signer options are invalid (Rekor version not 1 or 2, Rekor v2 without a TSA, non-positive limits).</summary>
    public static readonly ErrorCode SignerOptionsInvalid = new("SC2213", ErrorCategory.TrustRootOrConfiguration, "the bundle signer options are invalid (Rekor version not 1 or 2, Rekor v2 without a TSA, non-positive limits)");

    /// <summary>SC2214: the bundle just produced does not verify with SigstoreVerifier against the trusted root; nothing is returned.</summary>
    public static readonly ErrorCode ProducedBundleDoesNotVerify = new("SC2214", ErrorCategory.VerificationFailed, "the bundle just produced does not verify with SigstoreVerifier against the trusted root; nothing is returned");

    /// <summary>SC2215: the signer's key cannot be used for this operation (for example Ed25519 or P-384 for a message signature over a streamed SHA-256 digest, or a DSSE payload that is not an in-toto statement with a sha256/sha512 subject).</summary>
    public static readonly ErrorCode SignerUnsupported = new("SC2215", ErrorCategory.TrustRootOrConfiguration, "the signer's key cannot be used for this operation (for example Ed25519 or P-384 for a message signature over a streamed SHA-256 digest, or a DSSE payload that is not an in-toto statement with a sha256/sha512 subject)");

    /// <summary>SC2216: the timestamp does not verify or is not signed by a timestamp authority of the trusted root.</summary>
    public static readonly ErrorCode TimestampUntrusted = new("SC2216", ErrorCategory.VerificationFailed, "the timestamp does not verify or is not signed by a timestamp authority of the trusted root");

    /// <summary>SC2217: the Fulcio certificate does not chain to a certificate authority of the trusted root, or no embedded SCT verifies.</summary>
    public static readonly ErrorCode CertificateUntrusted = new("SC2217", ErrorCategory.VerificationFailed, "the Fulcio certificate does not chain to a certificate authority of the trusted root, or no embedded SCT verifies");
}
