namespace SupplyChain.Core.Bundles;

/// <summary>What a verifier needs besides the signature: key or certificate, log entries, timestamps.</summary>
public sealed class VerificationMaterial
{
    internal VerificationMaterial(
        IReadOnlyList<ReadOnlyMemory<byte>> certificates,
        string? publicKeyHint,
        IReadOnlyList<TransparencyLogEntry> tlogEntries,
        IReadOnlyList<ReadOnlyMemory<byte>> rfc3161Timestamps)
    {
        Certificates = certificates;
        PublicKeyHint = publicKeyHint;
        TlogEntries = tlogEntries;
        Rfc3161Timestamps = rfc3161Timestamps;
    }

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
}
