using SupplyChain.Core.Trust;

namespace SupplyChain.Tuf;

/// <summary>
/// The trust anchors embedded in this assembly, as sigstore-go and cosign embed them: a recent TUF root of each
/// Sigstore repository (production v15, staging v14; see Roots/README.md) to start updates from, and, for offline
/// use, the <c>trusted_root.json</c> targets embedded in SupplyChain.Core.
/// </summary>
public static class EmbeddedRoots
{
    private static readonly Lazy<byte[]> Production = new(() => Load(typeof(EmbeddedRoots), "SupplyChain.Tuf.Roots.production-root.json"));
    private static readonly Lazy<byte[]> Staging = new(() => Load(typeof(EmbeddedRoots), "SupplyChain.Tuf.Roots.staging-root.json"));
    private static readonly Lazy<byte[]> ProductionTrusted = new(() => Load(typeof(TrustedRoot), "SupplyChain.Core.TrustRoots.trusted_root.production.json"));
    private static readonly Lazy<byte[]> StagingTrusted = new(() => Load(typeof(TrustedRoot), "SupplyChain.Core.TrustRoots.trusted_root.staging.json"));

    /// <summary>Production root metadata version 15 (sigstore/root-signing).</summary>
    public static ReadOnlyMemory<byte> ProductionRoot => Production.Value;

    /// <summary>Staging root metadata version 14 (sigstore/root-signing-staging).</summary>
    public static ReadOnlyMemory<byte> StagingRoot => Staging.Value;

    /// <summary>The production <c>trusted_root.json</c> embedded in SupplyChain.Core.</summary>
    public static ReadOnlyMemory<byte> ProductionTrustedRoot => ProductionTrusted.Value;

    /// <summary>The staging <c>trusted_root.json</c> embedded in SupplyChain.Core.</summary>
    public static ReadOnlyMemory<byte> StagingTrustedRoot => StagingTrusted.Value;

    /// <summary>When the embedded production trusted root was published (root-signing commit 60cf2ce8, 2026-08-21).</summary>
    public static DateTimeOffset ProductionTrustedRootDate { get; } = new(2026, 8, 21, 19, 25, 56, TimeSpan.Zero);

    /// <summary>When the embedded staging trusted root was published (root-signing-staging commit ed88d5dc, 2026-08-21).</summary>
    public static DateTimeOffset StagingTrustedRootDate { get; } = new(2026, 8, 21, 19, 24, 0, TimeSpan.Zero);

    private static byte[] Load(Type anchor, string resource)
    {
        using Stream stream = anchor.Assembly.GetManifestResourceStream(resource)
            ?? throw TufErrors.NoTrustedCopy.ToException($"embedded resource {resource} is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
