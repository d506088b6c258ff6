namespace SupplyChain.Instance.Log;

/// <summary>Limits of the tlog-tiles log on entries and on files read back from its directory (DESIGN.md convention 5).</summary>
internal static class TileLimits
{
    /// <summary>tlog-tiles: each entry in a bundle is "a big-endian uint16 length" and the bytes, so 65535 at most.</summary>
    public const int MaxEntryBytes = ushort.MaxValue;

    /// <summary>Largest checkpoint file read (a note with one signature is a few hundred bytes).</summary>
    public const int MaxCheckpointBytes = 16 * 1024;

    /// <summary>Largest entry bundle read: 256 entries of the maximum size with their length prefixes.</summary>
    public const int MaxBundleBytes = TileGeometry.Width * (MaxEntryBytes + 2);

    /// <summary>Longest origin (key name) accepted.</summary>
    public const int MaxOriginLength = 256;

    /// <summary>Full tiles kept in memory for proofs and reads.</summary>
    public const int TileCacheCount = 2048;

    /// <summary>Full entry bundles kept in memory for reads.</summary>
    public const int BundleCacheCount = 32;
}
