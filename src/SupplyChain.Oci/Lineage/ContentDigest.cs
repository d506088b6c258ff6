using System.Buffers;
using System.Security.Cryptography;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// Digests as the OCI image-spec defines them (<c>descriptor.md</c>, "Digests"): <c>algorithm:encoded</c>, with the
/// registered algorithms <c>sha256</c> (64 lowercase hex) and <c>sha512</c> (128 lowercase hex). Other algorithms
/// are refused, so nothing is ever accepted unchecked.
/// </summary>
internal static class ContentDigest
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static bool IsValid(string? digest) => digest switch
    {
        null => false,
        _ when digest.StartsWith("sha256:", StringComparison.Ordinal) => IsLowerHex(digest.AsSpan(7), 64),
        _ when digest.StartsWith("sha512:", StringComparison.Ordinal) => IsLowerHex(digest.AsSpan(7), 128),
        _ => false,
    };

    /// <summary>Throws SC4609 unless <paramref name="content"/> hashes to <paramref name="digest"/>.</summary>
    public static void Verify(string digest, ReadOnlySpan<byte> content, string what)
    {
        if (!IsValid(digest))
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what}: '{digest}' is not a sha256 or sha512 digest");
        }

        string actual = digest.StartsWith("sha256:", StringComparison.Ordinal)
            ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content))
            : "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content));
        if (!string.Equals(actual, digest, StringComparison.Ordinal))
        {
            throw OciErrors.LineageDigestMismatch.ToException($"{what}: expected {digest}, content hashes to {actual}");
        }
    }

    private static bool IsLowerHex(ReadOnlySpan<char> hex, int length) =>
        hex.Length == length && !hex.ContainsAnyExcept(LowerHex);
}
