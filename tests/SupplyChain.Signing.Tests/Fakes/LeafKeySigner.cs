using System.Security.Cryptography;
using SupplyChain.Core.Keys;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Signing.Tests.Fakes;

/// <summary>An IArtifactSigner over a test ECDSA P-256 key that remembers its last signature (for the fake TSA).</summary>
internal sealed class LeafKeySigner(ECDsa key) : IArtifactSigner
{
    public byte[]? LastSignature { get; private set; }

    public KeyAlgorithm Algorithm => KeyAlgorithm.Ecdsa;

    public ReadOnlyMemory<byte> PublicKeySpki => key.ExportSubjectPublicKeyInfo();

    public byte[] SignData(ReadOnlySpan<byte> data)
    {
        byte[] signature = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (data.Length > 0)
        {
            LastSignature = signature;
        }

        return signature;
    }

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm) =>
        LastSignature = key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose()
    {
    }
}
