using System.Security.Cryptography;

namespace SupplyChain.Signing.Keys;

/// <summary>
/// The <c>publicKey.hint</c> a bundle carries when it is signed with a key rather than a certificate.
/// sigstore-go (<c>pkg/sign</c> key pairs) and cosign (<c>sign-blob --new-bundle-format</c> with a key) both use
/// base64 (standard alphabet, padded) of the SHA-256 of the DER SubjectPublicKeyInfo; verifiers treat it only as
/// a hint for picking the key, never as proof.
/// </summary>
public static class KeyHint
{
    /// <summary>Computes the hint for a public key.</summary>
    /// <param name="spki">The DER SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7).</param>
    /// <returns>base64(SHA-256(spki)).</returns>
    public static string For(ReadOnlySpan<byte> spki)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(spki, digest);
        return Convert.ToBase64String(digest);
    }
}
