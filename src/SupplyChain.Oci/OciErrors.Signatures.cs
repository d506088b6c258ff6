using SupplyChain.Core.Errors;

namespace SupplyChain.Oci;

/// <summary>Error codes of signatures and attestations on images (SC44xx-SC45xx).</summary>
public static partial class OciErrors
{
    /// <summary>SC4401: the image has no signature (or no attestation of the requested type) in either format; the registry answered every listing.</summary>
    public static readonly ErrorCode NoSignaturesFound = new("SC4401", ErrorCategory.VerificationFailed, "no signatures found on the image");

    /// <summary>SC4402: signatures were found but none verifies under the policy; the message lists each one's code.</summary>
    public static readonly ErrorCode NoSignatureMatched = new("SC4402", ErrorCategory.VerificationFailed, "signatures were found but none verifies under the policy");

    /// <summary>SC4403: the signature names another image: its in-toto subject, simple-signing digest or referrer subject differs from the verified digest.</summary>
    public static readonly ErrorCode SignatureSubjectMismatch = new("SC4403", ErrorCategory.VerificationFailed, "the signature is for another image digest");

    /// <summary>SC4404: a signature manifest (referrer or legacy <c>.sig</c>/<c>.att</c>) is not a well-formed OCI image manifest of the expected shape.</summary>
    public static readonly ErrorCode SignatureManifestMalformed = new("SC4404", ErrorCategory.MalformedInput, "the signature manifest is malformed");

    /// <summary>SC4405: a legacy simple-signing payload is not the cosign container image signature JSON.</summary>
    public static readonly ErrorCode SimpleSigningPayloadMalformed = new("SC4405", ErrorCategory.MalformedInput, "the simple-signing payload is malformed");

    /// <summary>SC4406: a legacy signature layer's annotations (signature, certificate, chain, Rekor bundle, RFC 3161 timestamp) are missing or malformed.</summary>
    public static readonly ErrorCode LegacyAnnotationsMalformed = new("SC4406", ErrorCategory.MalformedInput, "the legacy signature annotations are missing or malformed");

    /// <summary>SC4407: a key-signed signature has no transparency-log entry; accepted only with the explicit <c>--insecure-ignore-tlog</c> opt-out.</summary>
    public static readonly ErrorCode TransparencyLogRequired = new("SC4407", ErrorCategory.VerificationFailed, "the signature has no transparency-log entry");

    /// <summary>SC4408: the attestation predicate is not a JSON object, or is larger than the limit.</summary>
    public static readonly ErrorCode PredicateMalformed = new("SC4408", ErrorCategory.MalformedInput, "the predicate is not a JSON object within the size limit");

    /// <summary>SC4409: the predicate type is neither one of cosign's short names nor an absolute URI.</summary>
    public static readonly ErrorCode PredicateTypeUnknown = new("SC4409", ErrorCategory.MalformedInput, "the predicate type is not a known short name or an absolute URI");

    /// <summary>SC4410: the image is not an index, or the index has no manifest for the requested platform.</summary>
    public static readonly ErrorCode PlatformNotFound = new("SC4410", ErrorCategory.MalformedInput, "the image has no manifest for the platform");

    /// <summary>SC4411: a signature was verified with a key without a transparency log and its signature does not verify with that key.</summary>
    public static readonly ErrorCode SignatureInvalid = new("SC4411", ErrorCategory.VerificationFailed, "the signature does not verify with the key");

    /// <summary>SC4412: the signed statement's predicate type is not the one required (an image signature, or the attestation type asked for).</summary>
    public static readonly ErrorCode PredicateTypeMismatch = new("SC4412", ErrorCategory.VerificationFailed, "the statement's predicate type is not the one required");

    /// <summary>SC4413: a bundle attached to an image carries a message signature over an unknown payload (image signatures are DSSE in-toto statements).</summary>
    public static readonly ErrorCode BundleContentUnsupported = new("SC4413", ErrorCategory.VerificationFailed, "the bundle's content is not an in-toto statement about the image");

    /// <summary>SC4414: an image carries more signatures than are examined (a layer over its size limit is <see cref="SignatureOverSizeLimit"/> or <see cref="AttestationOverSizeLimit"/>).</summary>
    public static readonly ErrorCode SignatureTooLarge = new("SC4414", ErrorCategory.MalformedInput, "a signature layer or the number of signatures exceeds the limit");

    /// <summary>SC4415: signing or attaching needs the image's digest, and the reference has none.</summary>
    public static readonly ErrorCode DigestRequired = new("SC4415", ErrorCategory.MalformedInput, "the image reference has no digest");

    /// <summary>SC4416: a legacy signature tag kept being overwritten by concurrent writers; the attach gave up after its retries.</summary>
    public static readonly ErrorCode LegacyAttachConflict = new("SC4416", ErrorCategory.ServiceFailure, "concurrent writers kept replacing the legacy signature tag");

    /// <summary>SC4420: a signature could not be processed (an unexpected failure reading or verifying it): it is skipped as one invalid signature; the others are still examined.</summary>
    public static readonly ErrorCode SignatureUnprocessable = new("SC4420", ErrorCategory.MalformedInput, "a signature could not be processed and was skipped");

    // Signature size limits (SC4430-SC4439)

    /// <summary>SC4430: a signature (a bundle referrer's layer, or a legacy <c>.sig</c> layer) declares more bytes than the signature size limit; it is skipped unread.</summary>
    public static readonly ErrorCode SignatureOverSizeLimit = new("SC4430", ErrorCategory.MalformedInput, "the signature is larger than the signature size limit");

    /// <summary>SC4431: an attestation (a bundle referrer's layer, or a legacy <c>.att</c> layer) declares more bytes than the attestation size limit; it is skipped unread.</summary>
    public static readonly ErrorCode AttestationOverSizeLimit = new("SC4431", ErrorCategory.MalformedInput, "the attestation is larger than the attestation size limit");

    /// <summary>SC4432: the signature size limits are invalid (each must be 1 byte to 32 MiB).</summary>
    public static readonly ErrorCode SignatureSizeLimitsInvalid = new("SC4432", ErrorCategory.TrustRootOrConfiguration, "the signature size limits are invalid");
}
