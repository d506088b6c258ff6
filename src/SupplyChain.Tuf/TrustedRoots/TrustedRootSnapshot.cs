using System.Security.Cryptography;
using SupplyChain.Core.Trust;

namespace SupplyChain.Tuf.TrustedRoots;

/// <summary>
/// A trusted root in use and its version: <c>sha256:</c> and the lowercase hex SHA-256 of the <c>trusted_root.json</c>
/// bytes, so two sources serving the same document agree on its version and any change of content is a new version
/// (a verdict cache keys on it).
/// </summary>
public sealed class TrustedRootSnapshot
{
    private TrustedRootSnapshot(TrustedRoot trustedRoot, string version)
    {
        TrustedRoot = trustedRoot;
        Version = version;
    }

    /// <summary>The parsed trusted root.</summary>
    public TrustedRoot TrustedRoot { get; }

    /// <summary><c>sha256:</c> and the lowercase hex SHA-256 of the document's bytes.</summary>
    public string Version { get; }

    /// <summary>Parses a <c>trusted_root.json</c> document and computes its version.</summary>
    /// <param name="trustedRootJson">The document's bytes.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="Core.Errors.SupplyChainException">The parser's SC11xx code when the document is not a trusted root.</exception>
    public static TrustedRootSnapshot Parse(ReadOnlySpan<byte> trustedRootJson) =>
        new(TrustedRoot.Parse(trustedRootJson), VersionOf(trustedRootJson));

    /// <summary>The version a document would have: <c>sha256:</c> and the lowercase hex SHA-256 of its bytes.</summary>
    /// <param name="trustedRootJson">The document's bytes.</param>
    public static string VersionOf(ReadOnlySpan<byte> trustedRootJson) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(trustedRootJson));
}
