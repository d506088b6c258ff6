using SupplyChain.Core.Trust;

namespace SupplyChain.Testing.Virtual;

/// <summary>Options of <see cref="VirtualSigstore.Create"/>.</summary>
public sealed class VirtualSigstoreOptions
{
    /// <summary>The default virtual "now": 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The instant everything is issued, logged and timestamped at (no wall clock unless a test passes one).</summary>
    public DateTimeOffset Now { get; init; } = DefaultNow;

    /// <summary>
    /// The RFC 3161 minter. When <see langword="null"/>, a <see cref="Timestamps.TestTimestampAuthority"/> valid from
    /// 30 days before <see cref="Now"/> is created, unless <see cref="WithoutTimestampAuthority"/> is set, in which case the
    /// trusted root lists no TSA and timestamps cannot be asked for.
    /// </summary>
    public ITimestampMinter? TimestampMinter { get; init; }

    /// <summary>When <see langword="true"/> and no <see cref="TimestampMinter"/> is given, the instance has no TSA at all.</summary>
    public bool WithoutTimestampAuthority { get; init; }

    /// <summary>Prior filler entries in the Rekor v1 log.</summary>
    public int RekorV1FillerEntries { get; init; } = 13;

    /// <summary>Prior filler entries in the Rekor v2 log.</summary>
    public int RekorV2FillerEntries { get; init; } = 21;

    /// <summary>The CA's <c>validFor</c> in the trusted root; defaults to [now - 30 days, open).</summary>
    public TimeRange? CertificateAuthorityValidFor { get; init; }

    /// <summary>The Rekor v1 key's <c>validFor</c>; defaults to [now - 30 days, open).</summary>
    public TimeRange? RekorV1ValidFor { get; init; }

    /// <summary>The Rekor v2 key's <c>validFor</c>; defaults to [now - 30 days, open).</summary>
    public TimeRange? RekorV2ValidFor { get; init; }

    /// <summary>The CT log key's <c>validFor</c>; defaults to [now - 30 days, open).</summary>
    public TimeRange? CtLogValidFor { get; init; }

    /// <summary>The TSA's <c>validFor</c>; defaults to [now - 30 days, open).</summary>
    public TimeRange? TimestampAuthorityValidFor { get; init; }
}
