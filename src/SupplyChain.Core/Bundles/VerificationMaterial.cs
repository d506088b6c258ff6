using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// What a verifier needs besides the signature (sigstore_bundle.proto VerificationMaterial): key or certificate, log
/// entries, timestamps. Immutable; built by <see cref="ForPublicKey"/>, <see cref="ForCertificateChain"/> or
/// <see cref="ForCertificate"/>, which check every field. Which form a bundle version allows is checked when the
/// bundle is built.
/// </summary>
public sealed class VerificationMaterial
{
    private VerificationMaterial(
        VerificationMaterialContent content,
        IReadOnlyList<ReadOnlyMemory<byte>> certificates,
        string? publicKeyHint,
        IEnumerable<TransparencyLogEntry>? tlogEntries,
        IEnumerable<ReadOnlyMemory<byte>>? rfc3161Timestamps)
    {
        Content = content;
        Certificates = certificates;
        PublicKeyHint = publicKeyHint;
        TlogEntries = BundleFields.List(tlogEntries, Limits.MaxTlogEntries, "tlog entries", static (e, i) => e ?? throw new ArgumentException($"entry {i} is null", nameof(tlogEntries)));

        // sigstore_common.proto RFC3161SignedTimestamp.signed_timestamp: "the DER encoded TimeStampResponse"; never empty.
        Rfc3161Timestamps = BundleFields.List(rfc3161Timestamps, Limits.MaxTimestamps, "timestamps", static (t, _) => (ReadOnlyMemory<byte>)BundleFields.Required(t, "timestampVerificationData.rfc3161Timestamps[].signedTimestamp"));
    }

    /// <summary>Which form of key material the bundle carries.</summary>
    public VerificationMaterialContent Content { get; }

    /// <summary>
    /// DER certificates, leaf first. v0.3 bundles carry exactly one; v0.1/v0.2 chains may carry more,
    /// but only the leaf is used: the chain is always built from the trusted root.
    /// Empty for key-signed bundles.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Certificates { get; }

    /// <summary>The signing certificate (DER), or empty for key-signed bundles.</summary>
    public ReadOnlyMemory<byte> LeafCertificate => Certificates.Count > 0 ? Certificates[0] : ReadOnlyMemory<byte>.Empty;

    /// <summary><see langword="true"/> when the bundle is signed with a certificate rather than a bare key.</summary>
    public bool HasCertificate => Certificates.Count > 0;

    /// <summary>The public-key hint of a key-signed bundle (may be empty); <see langword="null"/> for certificate bundles.</summary>
    public string? PublicKeyHint { get; }

    /// <summary>Transparency-log entries.</summary>
    public IReadOnlyList<TransparencyLogEntry> TlogEntries { get; }

    /// <summary>DER-encoded RFC 3161 timestamp tokens (<c>TimeStampToken</c>, a CMS SignedData) over the signature.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Rfc3161Timestamps { get; }

    /// <summary>Key material naming a self-managed key (<c>publicKey.hint</c>) that the verifier supplies.</summary>
    /// <param name="hint">The key hint; <see langword="null"/> or empty when there is none.</param>
    /// <param name="tlogEntries">Transparency-log entries (at most 32).</param>
    /// <param name="rfc3161Timestamps">DER RFC 3161 timestamp responses over the signature (copied; at most 32, none empty).</param>
    /// <returns>The verification material.</returns>
    /// <exception cref="MalformedInputException">SC1001 for too many entries or timestamps; SC1009 for an empty timestamp; SC1016 for a hint that is not Unicode text.</exception>
    public static VerificationMaterial ForPublicKey(string? hint, IEnumerable<TransparencyLogEntry>? tlogEntries = null, IEnumerable<ReadOnlyMemory<byte>>? rfc3161Timestamps = null) =>
        new(VerificationMaterialContent.PublicKey, [], hint is null ? string.Empty : BundleFields.Text(hint, "publicKey.hint"), tlogEntries, rfc3161Timestamps);

    /// <summary>Key material as an X.509 chain, leaf first (bundles v0.1 and v0.2).</summary>
    /// <param name="certificates">The DER certificates, leaf first (copied; 1 to 10).</param>
    /// <param name="tlogEntries">Transparency-log entries (at most 32).</param>
    /// <param name="rfc3161Timestamps">DER RFC 3161 timestamp responses over the signature (copied; at most 32, none empty).</param>
    /// <returns>The verification material.</returns>
    /// <exception cref="MalformedInputException">SC1011 for an empty chain; SC1001 for too many certificates, entries or timestamps; SC1009/SC1015 for a certificate that is empty or not one DER SEQUENCE.</exception>
    public static VerificationMaterial ForCertificateChain(IEnumerable<ReadOnlyMemory<byte>> certificates, IEnumerable<TransparencyLogEntry>? tlogEntries = null, IEnumerable<ReadOnlyMemory<byte>>? rfc3161Timestamps = null)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ReadOnlyMemory<byte>[] chain = BundleFields.List(
            certificates,
            Limits.MaxCertificatesInChain,
            "certificates in the chain",
            static (c, i) => (ReadOnlyMemory<byte>)BundleFields.Certificate(c, $"x509CertificateChain.certificates[{i}].rawBytes"));

        // sigstore_bundle.proto: "A sequence of one or more X.509 certificates, of which the first member MUST be a leaf".
        return chain.Length == 0
            ? throw CoreErrors.BundleEmptyCertificateChain.ToException()
            : new(VerificationMaterialContent.X509CertificateChain, chain, null, tlogEntries, rfc3161Timestamps);
    }

    /// <summary>Key material as a single leaf certificate (bundle v0.3).</summary>
    /// <param name="certificate">The DER leaf certificate (copied).</param>
    /// <param name="tlogEntries">Transparency-log entries (at most 32).</param>
    /// <param name="rfc3161Timestamps">DER RFC 3161 timestamp responses over the signature (copied; at most 32, none empty).</param>
    /// <returns>The verification material.</returns>
    /// <exception cref="MalformedInputException">SC1009/SC1015 for a certificate that is empty or not one DER SEQUENCE; SC1001 for too many entries or timestamps.</exception>
    public static VerificationMaterial ForCertificate(ReadOnlyMemory<byte> certificate, IEnumerable<TransparencyLogEntry>? tlogEntries = null, IEnumerable<ReadOnlyMemory<byte>>? rfc3161Timestamps = null) =>
        new(VerificationMaterialContent.Certificate, [BundleFields.Certificate(certificate, "certificate.rawBytes")], null, tlogEntries, rfc3161Timestamps);
}
