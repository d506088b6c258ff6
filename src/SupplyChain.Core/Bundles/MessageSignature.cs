using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>A signature over an artifact's bytes (protobuf-specs sigstore_common.proto MessageSignature). Immutable.</summary>
public sealed class MessageSignature
{
    private readonly byte[]? _digest;
    private readonly byte[] _signature;

    /// <summary>Builds a message signature, checking its fields.</summary>
    /// <param name="digestAlgorithm">
    /// The protobuf-specs <c>HashAlgorithm</c> name of <paramref name="digest"/> (<c>SHA2_256</c>, <c>SHA2_384</c> or
    /// <c>SHA2_512</c>); <see langword="null"/> together with <paramref name="digest"/> when no digest is given.
    /// </param>
    /// <param name="digest">The artifact digest the signer claims (a hint that must agree with the artifact), or <see langword="null"/>.</param>
    /// <param name="signature">The raw signature bytes (copied).</param>
    /// <exception cref="MalformedInputException">
    /// SC1009 when the signature is empty or only one of algorithm and digest is given; SC1016 for an unknown
    /// algorithm or a digest of the wrong length.
    /// </exception>
    public MessageSignature(string? digestAlgorithm, ReadOnlyMemory<byte>? digest, ReadOnlyMemory<byte> signature)
    {
        _signature = BundleFields.Required(signature, "messageSignature.signature");

        // A null byte[] converts to an empty, non-null ReadOnlyMemory: without an algorithm, an empty digest is none.
        if (digestAlgorithm is null && digest is { IsEmpty: true })
        {
            digest = null;
        }

        if (digestAlgorithm is null != digest is null)
        {
            throw CoreErrors.BundleMissingField.ToException(digestAlgorithm is null ? "messageSignature.messageDigest.algorithm" : "messageSignature.messageDigest.digest");
        }

        if (digestAlgorithm is not null)
        {
            // sigstore_common.proto HashOutput: the algorithm names a HashAlgorithm; its digest has that function's size.
            int expected = digestAlgorithm switch
            {
                "SHA2_256" => 32,
                "SHA2_384" => 48,
                "SHA2_512" => 64,
                _ => throw CoreErrors.BundleInvalidFieldValue.ToException($"messageSignature.messageDigest.algorithm '{Printable.Cut(digestAlgorithm)}'"),
            };
            _digest = digest!.Value.ToArray();
            if (_digest.Length != expected)
            {
                throw CoreErrors.BundleInvalidFieldValue.ToException($"messageSignature.messageDigest.digest has {_digest.Length} bytes, {digestAlgorithm} needs {expected}");
            }
        }

        DigestAlgorithm = digestAlgorithm;
    }

    /// <summary>The digest algorithm (<c>SHA2_256</c>, <c>SHA2_384</c>, <c>SHA2_512</c>), when a digest is given.</summary>
    public string? DigestAlgorithm { get; }

    /// <summary>The artifact digest the signer claims; a hint that must agree with the artifact.</summary>
    public ReadOnlyMemory<byte>? Digest => _digest is null ? (ReadOnlyMemory<byte>?)null : _digest;

    /// <summary>The raw signature bytes.</summary>
    public ReadOnlyMemory<byte> Signature => _signature;
}
