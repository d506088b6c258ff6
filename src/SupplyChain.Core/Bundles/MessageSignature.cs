namespace SupplyChain.Core.Bundles;

/// <summary>A signature over an artifact's bytes (protobuf-specs MessageSignature).</summary>
public sealed class MessageSignature
{
    internal MessageSignature(string? digestAlgorithm, ReadOnlyMemory<byte>? digest, ReadOnlyMemory<byte> signature)
    {
        DigestAlgorithm = digestAlgorithm;
        Digest = digest;
        Signature = signature;
    }

    /// <summary>The digest algorithm (<c>SHA2_256</c>, <c>SHA2_384</c>, <c>SHA2_512</c>), when a digest is given.</summary>
    public string? DigestAlgorithm { get; }

    /// <summary>The artifact digest the signer claims; a hint that must agree with the artifact.</summary>
    public ReadOnlyMemory<byte>? Digest { get; }

    /// <summary>The raw signature bytes.</summary>
    public ReadOnlyMemory<byte> Signature { get; }
}
