using System.Security.Cryptography;
using System.Text;

namespace SupplyChain.Instance.Log;

/// <summary>
/// Opens a log directory at its checkpoint: the checkpoint is the truth (an append is acknowledged only
/// after it), so files past it are leftovers of an interrupted append and are removed, and the right
/// edge is loaded from the partial tiles it names and checked against its root.
/// </summary>
internal static class LogRecovery
{
    /// <summary>Recovers (or creates) the log in <paramref name="store"/>'s directory.</summary>
    public static LogState Recover(TileStore store, CheckpointSigner signer)
    {
        string checkpointPath = Path.Combine(store.Root, TileLog.CheckpointFile);
        string tiles = Path.Combine(store.Root, "tile");
        if (!File.Exists(checkpointPath))
        {
            if (Directory.Exists(tiles) && Directory.EnumerateFiles(tiles, "*", SearchOption.AllDirectories).Any(f => !f.EndsWith(DurableWriter.TempSuffix, StringComparison.Ordinal)))
            {
                throw InstanceErrors.LogFileMalformed.ToException("the checkpoint is missing but the directory holds tiles");
            }

            RemoveLeftovers(store, 0);
            SignedCheckpoint empty = SignedCheckpoint.Create(signer, 0, TileTree.EmptyRoot());
            DurableWriter.Write(store.Root, [], (checkpointPath, Encoding.UTF8.GetBytes(empty.Text)));
            return new LogState(empty, EmptyEdge(), [], store);
        }

        SignedCheckpoint checkpoint = SignedCheckpoint.Parse(ReadCheckpoint(checkpointPath), signer.VerifierKey);
        RemoveLeftovers(store, checkpoint.Size);
        store.Forget();
        LogState state = LoadEdge(store, checkpoint);
        byte[] root = state.Tree.RangeHash(0, checkpoint.Size);
        if (!CryptographicOperations.FixedTimeEquals(root, checkpoint.RootHash.Span))
        {
            throw InstanceErrors.LogRootMismatch.ToException($"the tiles of a tree of {checkpoint.Size} do not rebuild the checkpoint's root");
        }

        return state;
    }

    /// <summary>Reads a checkpoint file within its size limit (SC8105).</summary>
    public static string ReadCheckpoint(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > Limits.MaxCheckpointBytes)
            {
                throw InstanceErrors.LogFileMalformed.ToException($"the checkpoint has {stream.Length} bytes, at most {Limits.MaxCheckpointBytes} expected");
            }

            byte[] data = new byte[stream.Length];
            stream.ReadExactly(data);
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or DecoderFallbackException)
        {
            throw InstanceErrors.LogFileMalformed.ToException("the checkpoint is missing or not UTF-8", e);
        }
    }

    private static LogState LoadEdge(TileStore store, SignedCheckpoint checkpoint)
    {
        long size = checkpoint.Size;
        byte[][] edge = EmptyEdge();
        for (int level = 0; level <= TileGeometry.MaxLevel; level++)
        {
            int width = TileGeometry.PartialWidth(size, level);
            if (width > 0)
            {
                edge[level] = store.ReadTile(level, TileGeometry.FullTiles(size, level), width);
            }
        }

        int entryWidth = TileGeometry.PartialWidth(size, 0);
        List<byte[]> entries = entryWidth > 0 ? store.ReadBundle(size >> TileGeometry.Height, entryWidth) : [];
        for (int i = 0; i < entries.Count; i++)
        {
            if (!CryptographicOperations.FixedTimeEquals(TileTree.LeafHash(entries[i]), edge[0].AsSpan(i * TileGeometry.HashSize, TileGeometry.HashSize)))
            {
                throw InstanceErrors.LogTileMismatch.ToException($"entry {(size & ~0xFFL) + i} does not hash to its leaf in the partial tile");
            }
        }

        return new LogState(checkpoint, edge, entries, store);
    }

    /// <summary>Removes temp files (the checkpoint's too), tiles and bundles past a tree of <paramref name="size"/>, and partials of full tiles.</summary>
    private static void RemoveLeftovers(TileStore store, long size)
    {
        File.Delete(Path.Combine(store.Root, TileLog.CheckpointFile + DurableWriter.TempSuffix));
        string tiles = Path.Combine(store.Root, "tile");
        if (!Directory.Exists(tiles))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(tiles, "*", SearchOption.AllDirectories).ToList())
        {
            string relative = Path.GetRelativePath(store.Root, file).Replace(Path.DirectorySeparatorChar, '/');
            bool remove = relative.EndsWith(DurableWriter.TempSuffix, StringComparison.Ordinal)
                || (TilePath.TryParse(relative, out TilePath tile) && IsPast(tile, size));
            if (remove)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Whether a tile is past the tree (or a partial that a full tile of the tree replaces).</summary>
    private static bool IsPast(TilePath tile, long size)
    {
        int level = tile.IsEntries ? 0 : tile.Level;
        long full = TileGeometry.FullTiles(size, level);
        return tile.IsFull ? tile.Index >= full : tile.Index != full || tile.Width > TileGeometry.PartialWidth(size, level);
    }

    private static byte[][] EmptyEdge()
    {
        var edge = new byte[TileGeometry.MaxLevel + 1][];
        Array.Fill(edge, []);
        return edge;
    }
}
