using System.Text.RegularExpressions;

namespace SupplyChain.Oci.Signatures;

/// <summary>SHA-256 digests as OCI writes them, <c>sha256:&lt;64 lowercase hex&gt;</c> (image-spec <c>descriptor.md</c>, "Digests").</summary>
internal static partial class Digests
{
    /// <summary>The digest of <paramref name="content"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> content) => Registry.OciDigest.Sha256(content);

    /// <summary>Whether <paramref name="digest"/> is a well-formed SHA-256 digest.</summary>
    public static bool IsSha256(string digest) => Sha256Pattern().IsMatch(digest);

    /// <summary>Whether <paramref name="content"/> has <paramref name="digest"/>.</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> content) => Registry.OciDigest.Matches(digest, content);

    /// <summary>The raw bytes of a SHA-256 digest.</summary>
    public static byte[] Bytes(string digest) => IsSha256(digest)
        ? Convert.FromHexString(digest.AsSpan(7))
        : throw OciErrors.DigestRequired.ToException("the digest is not sha256:<64 hex>");

    /// <summary>The legacy cosign tag of <paramref name="digest"/> with <paramref name="suffix"/> (<c>sig</c>, <c>att</c>, <c>sbom</c>): <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    public static string LegacyTag(string digest, string suffix) => Registry.OciDigest.ReferrersTag(digest) + "." + suffix;

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Sha256Pattern();
}
