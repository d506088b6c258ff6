namespace SupplyChain.Instance.Log;

/// <summary>
/// One committed state of the log: its checkpoint and the right edge (the partial tile at each level and
/// the partial entry bundle) in memory. Immutable once published, so readers need no lock; full tiles
/// are read from disk, where they never change.
/// </summary>
internal sealed class LogState : ITileSource
{
    public LogState(SignedCheckpoint checkpoint, byte[][] edgeHashes, IReadOnlyList<byte[]> edgeEntries, TileStore store)
    {
        Checkpoint = checkpoint;
        EdgeHashes = edgeHashes;
        EdgeEntries = edgeEntries;
        Store = store;
    }

    /// <summary>The checkpoint of this state (durable on disk).</summary>
    public SignedCheckpoint Checkpoint { get; }

    /// <summary>The tree size.</summary>
    public long Size => Checkpoint.Size;

    /// <summary>Per level, the concatenated hashes of its partial tile (empty when the level has none).</summary>
    public byte[][] EdgeHashes { get; }

    /// <summary>The entries of the partial entry bundle.</summary>
    public IReadOnlyList<byte[]> EdgeEntries { get; }

    /// <summary>Where full tiles are read.</summary>
    public TileStore Store { get; }

    /// <summary>The Merkle tree of this state.</summary>
    public TileTree Tree => new(this);

    /// <inheritdoc />
    public ReadOnlyMemory<byte> ReadHashes(int level, long index, int width)
    {
        long full = TileGeometry.FullTiles(Size, level);
        if (index < full)
        {
            return Store.ReadTile(level, index, TileGeometry.Width);
        }

        if (index == full && width <= TileGeometry.PartialWidth(Size, level))
        {
            return EdgeHashes[level];
        }

        throw new InvalidOperationException($"tile {level}/{index} width {width} is outside a tree of {Size}");
    }

    /// <summary>The entry at <paramref name="index"/> (which must be below <see cref="Size"/>).</summary>
    public byte[] ReadEntry(long index)
    {
        long bundle = index >> TileGeometry.Height;
        int offset = (int)(index & (TileGeometry.Width - 1));
        return bundle == Size >> TileGeometry.Height ? EdgeEntries[offset] : Store.ReadBundle(bundle, TileGeometry.Width)[offset];
    }
}
