namespace SupplyChain.Instance.Log;

/// <summary>Where a <see cref="TileTree"/> reads tile hashes from (the live log's disk and memory, or a directory being audited).</summary>
internal interface ITileSource
{
    /// <summary>
    /// The hashes of tile <paramref name="index"/> at <paramref name="level"/>, concatenated: at least
    /// <paramref name="width"/> hashes (a full tile may be returned for a narrower request).
    /// </summary>
    /// <param name="level">The tile level.</param>
    /// <param name="index">The tile index.</param>
    /// <param name="width">The number of hashes needed.</param>
    ReadOnlyMemory<byte> ReadHashes(int level, long index, int width);
}
