using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Signing.Tests.Keys;

internal static class KeyTestSupport
{
    public static readonly byte[] Message = "hello, sigstore"u8.ToArray();

    /// <summary>Signs with <paramref name="signer"/> and checks the signature with Core's verifier (data and, where it applies, digest).</summary>
    public static void AssertSignsAndVerifies(IArtifactSigner signer)
    {
        byte[] signature = signer.SignData(Message);
        using PublicKeyVerifier verifier = PublicKeyVerifier.FromSubjectPublicKeyInfo(signer.PublicKeySpki.Span);
        Assert.Equal(signer.Algorithm, verifier.Algorithm);
        Assert.True(verifier.VerifyData(Message, signature));
        Assert.False(verifier.VerifyData("tampered"u8, signature));
        if (signer.Algorithm != KeyAlgorithm.Ed25519)
        {
            byte[] digest = verifier.HashAlgorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(Message) : SHA256.HashData(Message);
            byte[] digestSignature = signer.SignDigest(digest, verifier.HashAlgorithm);
            Assert.True(verifier.VerifyData(Message, digestSignature));
        }
        else
        {
            Assert.Throws<NotSupportedException>(() => signer.SignDigest(SHA256.HashData(Message), HashAlgorithmName.SHA256));
        }
    }

    public static string Pem(string label, byte[] der) => new string(PemEncoding.Write(label, der)) + "\n";
}
