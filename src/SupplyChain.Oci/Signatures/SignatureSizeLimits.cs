namespace SupplyChain.Oci.Signatures;

/// <summary>
/// How large a signature or attestation attached to an image may be before it is skipped unread. The declared size
/// (the bundle layer's descriptor in a referrer manifest, or the legacy <c>.sig</c>/<c>.att</c> layer's descriptor) is
/// checked before anything is downloaded, and the download itself stops at that size; over the limit the signature is
/// rejected with <c>SC4430</c> (signature) or <c>SC4431</c> (attestation), like any other invalid signature, and the
/// next one is tried. cosign accepts attachments up to 128 MiB (<c>COSIGN_MAX_ATTACHMENT_SIZE</c>, checked on the
/// declared size); these defaults are tighter for signatures, which are a few KiB. docs/verification.md, "Size limits".
/// </summary>
public sealed record SignatureSizeLimits
{
    /// <summary>1 MiB per signature, 32 MiB per attestation.</summary>
    public static SignatureSizeLimits Default { get; } = new();

    /// <summary>
    /// Largest signature read: a bundle referrer of a signature (<c>cosign/sign/v1</c> statement, a certificate chain and
    /// log entries: a few KiB) or a legacy <c>.sig</c> layer (a simple-signing payload). 1 MiB by default, at most 32 MiB.
    /// </summary>
    public long MaxSignatureBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Largest attestation read: a bundle referrer or legacy <c>.att</c> layer when an attestation type is asked for. SBOM
    /// and provenance predicates make these MiBs (<c>signcli attest</c> takes predicates up to 16 MiB, which base64 and
    /// DSSE make about 21.4 MiB). 32 MiB by default, which is also the most a bundle may be (Core's limit).
    /// </summary>
    public long MaxAttestationBytes { get; init; } = Limits.MaxSignatureLayerBytes;

    /// <summary>The limit for a signature (<paramref name="attestation"/> false) or an attestation.</summary>
    internal long For(bool attestation) => attestation ? MaxAttestationBytes : MaxSignatureBytes;

    /// <summary>Throws <c>SC4432</c> unless both limits are in 1..32 MiB.</summary>
    internal SignatureSizeLimits Validated() =>
        MaxSignatureBytes is > 0 and <= Limits.MaxSignatureLayerBytes && MaxAttestationBytes is > 0 and <= Limits.MaxSignatureLayerBytes
            ? this
            : throw OciErrors.SignatureSizeLimitsInvalid.ToException($"each limit must be 1 to {Limits.MaxSignatureLayerBytes} bytes");
}
