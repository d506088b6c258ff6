namespace SupplyChain.Tuf;

/// <summary>Where a trust document came from.</summary>
public enum TufSource
{
    /// <summary>Verified against TUF metadata refreshed from the repository just now.</summary>
    Online,

    /// <summary>The copy in the local TUF cache (offline, or the repository was unreachable).</summary>
    Cache,

    /// <summary>The copy embedded in the library (offline, or unreachable, with no cached copy).</summary>
    Embedded,
}

/// <summary>Where a target came from, which versions vouched for it, and how old it is.</summary>
/// <param name="Source">Online, cache or embedded.</param>
/// <param name="Repository">The TUF repository URL.</param>
/// <param name="Location">The cache path, the URL, or <c>embedded:...</c>.</param>
/// <param name="RootVersion">The TUF root version in force, when known.</param>
/// <param name="TargetsVersion">The version of the targets role that listed the target, when known.</param>
/// <param name="FetchedAt">When the bytes were fetched (or published, for the embedded copy), when known.</param>
/// <param name="Age">How long ago that was, by the client's clock, when known.</param>
/// <param name="Warnings">Warnings for the caller to show: fallbacks, an in-memory cache.</param>
public sealed record TufProvenance(
    TufSource Source,
    Uri Repository,
    string Location,
    long? RootVersion,
    long? TargetsVersion,
    DateTimeOffset? FetchedAt,
    TimeSpan? Age,
    IReadOnlyList<string> Warnings);

/// <summary>A verified TUF target: its bytes, its parsed value and its provenance.</summary>
/// <typeparam name="T">The parsed type.</typeparam>
/// <param name="Value">The parsed document.</param>
/// <param name="Bytes">The exact bytes (equal to the repository's target when online).</param>
/// <param name="Provenance">Where it came from.</param>
public sealed record TufResult<T>(T Value, ReadOnlyMemory<byte> Bytes, TufProvenance Provenance);
