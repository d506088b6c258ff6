using SupplyChain.Core.Keys;

namespace SupplyChain.Signing.Keys;

/// <summary>
/// A private key that signs: an ephemeral in-memory key (keyless signing) or a key the user supplies.
/// Implementations never write key material anywhere and never print it.
/// </summary>
public interface IArtifactSigner : IDisposable
{
    /// <summary>The key family.</summary>
    KeyAlgorithm Algorithm { get; }

    /// <summary>The DER SubjectPublicKeyInfo of the public key.</summary>
    ReadOnlyMemory<byte> PublicKeySpki { get; }

    /// <summary>
    /// Signs <paramref name="data"/>: ECDSA (DER signature, hash by curve: P-256/SHA-256, P-384/SHA-384),
    /// RSA PKCS#1 v1.5 with SHA-256, or Ed25519 over the message itself.
    /// </summary>
    /// <param name="data">The bytes to sign.</param>
    byte[] SignData(ReadOnlySpan<byte> data);

    /// <summary>Signs a precomputed digest (ECDSA and RSA only; Ed25519 throws <see cref="NotSupportedException"/>).</summary>
    /// <param name="digest">The digest.</param>
    /// <param name="algorithm">The algorithm that produced it.</param>
    byte[] SignDigest(ReadOnlySpan<byte> digest, System.Security.Cryptography.HashAlgorithmName algorithm);
}
