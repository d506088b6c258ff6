using System.Security.Cryptography;

namespace SupplyChain.Oci.Registry;

/// <summary>
/// Digests as the image spec's <c>descriptor.md</c> defines them: <c>algorithm ":" encoded</c>. Only the registered
/// algorithms are accepted ("sha256 ... MUST be lowercase hex, 64 characters"; "sha512 ... 128 characters").
/// </summary>
internal static class OciDigest
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Whether <paramref name="digest"/> is <c>sha256:</c> + 64 or <c>sha512:</c> + 128 lowercase hex characters.</summary>
    public static bool IsValid(string? digest)
    {
        if (digest is null)
        {
            return false;
        }

        int hexLength = digest.StartsWith("sha256:", StringComparison.Ordinal) ? 64 : digest.StartsWith("sha512:", StringComparison.Ordinal) ? 128 : -1;
        return hexLength > 0 && digest.Length == 7 + hexLength && digest.AsSpan(7).IndexOfAnyExcept(LowerHex) < 0;
    }

    /// <summary>The sha256 digest of <paramref name="content"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The digest of <paramref name="content"/> with the algorithm of <paramref name="like"/> (a valid digest).</summary>
    public static string Compute(string like, ReadOnlySpan<byte> content) =>
        like.StartsWith("sha512:", StringComparison.Ordinal) ? "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content)) : Sha256(content);

    /// <summary>Whether <paramref name="content"/> hashes to <paramref name="digest"/> (a valid digest).</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> content) => string.Equals(Compute(digest, content), digest, StringComparison.Ordinal);

    /// <summary>
    /// The referrers tag schema's tag for <paramref name="digest"/> (distribution spec 1.1: "&lt;alg&gt;-&lt;ref&gt;",
    /// "&lt;alg&gt;: the digest algorithm, truncated to 32 characters", "&lt;ref&gt;: the digest's encoded value, truncated to 64 characters").
    /// </summary>
    public static string ReferrersTag(string digest)
    {
        int colon = digest.IndexOf(':', StringComparison.Ordinal);
        string algorithm = digest[..colon];
        string encoded = digest[(colon + 1)..];
        return algorithm[..Math.Min(32, algorithm.Length)] + "-" + encoded[..Math.Min(64, encoded.Length)];
    }
}
