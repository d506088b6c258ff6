namespace SupplyChain.Instance.Log;

/// <summary>
/// C2SP tlog-tiles geometry: "tiles of height 8", so a full tile holds 256 hashes, and a tile at level L
/// holds the hashes of the tree nodes at height 8·L.
/// </summary>
internal static class TileGeometry
{
    /// <summary>Tile height (levels of the Merkle tree per tile).</summary>
    public const int Height = 8;

    /// <summary>Hashes (or entries) in a full tile.</summary>
    public const int Width = 1 << Height;

    /// <summary>SHA-256 hash size.</summary>
    public const int HashSize = 32;

    /// <summary>Highest tile level: level 7 holds nodes of height 56, enough for 2^63 entries.</summary>
    public const int MaxLevel = 7;

    /// <summary>The number of hashes stored at <paramref name="level"/> for a tree of <paramref name="treeSize"/> entries.</summary>
    public static long HashesAtLevel(long treeSize, int level) => level * Height >= 63 ? 0 : treeSize >> (level * Height);

    /// <summary>The number of full tiles at <paramref name="level"/>.</summary>
    public static long FullTiles(long treeSize, int level) => HashesAtLevel(treeSize, level) >> Height;

    /// <summary>The width of the partial tile at <paramref name="level"/> (0 when there is none).</summary>
    public static int PartialWidth(long treeSize, int level) => (int)(HashesAtLevel(treeSize, level) & (Width - 1));

    /// <summary>The number of levels that hold at least one hash.</summary>
    public static int Levels(long treeSize)
    {
        int levels = 0;
        while (levels <= MaxLevel && HashesAtLevel(treeSize, levels) > 0)
        {
            levels++;
        }

        return levels;
    }
}
