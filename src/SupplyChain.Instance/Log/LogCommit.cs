namespace SupplyChain.Instance.Log;

/// <summary>
/// Makes a batch of entries durable: new entry bundles and tiles (each a new file, written by temp file,
/// fsync and rename), then the directories, then the checkpoint the same way. A crash before the
/// checkpoint's rename leaves the old checkpoint as the truth, and the files past it are removed on open.
/// </summary>
internal static class LogCommit
{
    /// <summary>Commits <paramref name="entries"/> after <paramref name="state"/> and returns the new state.</summary>
    public static LogState Commit(LogState state, IReadOnlyList<byte[]> entries, CheckpointSigner signer)
    {
        long oldSize = state.Size;
        long newSize = oldSize + entries.Count;
        string root = state.Store.Root;
        var files = new List<(string Path, byte[] Data)>();
        var levels = new List<byte[]>[TileGeometry.MaxLevel + 1];
        var counts = new long[TileGeometry.MaxLevel + 1];
        for (int level = 0; level <= TileGeometry.MaxLevel; level++)
        {
            levels[level] = Split(state.EdgeHashes[level]);
            counts[level] = TileGeometry.HashesAtLevel(oldSize, level);
        }

        var fullTiles = new List<(int Level, long Index, byte[] Hashes)>();
        var bundle = new List<byte[]>(state.EdgeEntries);
        long size = oldSize;
        foreach (byte[] entry in entries)
        {
            bundle.Add(entry);
            if (bundle.Count == TileGeometry.Width)
            {
                files.Add((new TilePath(TilePath.EntriesLevel, size >> TileGeometry.Height, TileGeometry.Width).FullPath(root), EntryBundle.Encode(bundle)));
                bundle.Clear();
            }

            AddHash(0, TileTree.LeafHash(entry));
            size++;
        }

        if (bundle.Count > 0)
        {
            files.Add((new TilePath(TilePath.EntriesLevel, newSize >> TileGeometry.Height, bundle.Count).FullPath(root), EntryBundle.Encode(bundle)));
        }

        foreach ((int level, long index, byte[] hashes) in fullTiles)
        {
            files.Add((new TilePath(level, index, TileGeometry.Width).FullPath(root), hashes));
        }

        var edge = new byte[TileGeometry.MaxLevel + 1][];
        for (int level = 0; level <= TileGeometry.MaxLevel; level++)
        {
            edge[level] = [.. levels[level].SelectMany(h => h)];
            int width = TileGeometry.PartialWidth(newSize, level);
            if (width > 0 && TileGeometry.HashesAtLevel(newSize, level) != TileGeometry.HashesAtLevel(oldSize, level))
            {
                files.Add((new TilePath(level, TileGeometry.FullTiles(newSize, level), width).FullPath(root), edge[level]));
            }
        }

        // The root from the new edge and full tiles; the checkpoint is written last, so it only ever names a tree whose tiles are durable.
        var unsigned = new LogState(state.Checkpoint, edge, bundle, state.Store);
        byte[] rootHash = new TileTree(new SizedSource(unsigned, newSize, fullTiles)).RangeHash(0, newSize);
        SignedCheckpoint checkpoint = SignedCheckpoint.Create(signer, newSize, rootHash);
        DurableWriter.Write(root, files, (Path.Combine(root, TileLog.CheckpointFile), System.Text.Encoding.UTF8.GetBytes(checkpoint.Text)));
        foreach ((int level, long index, byte[] hashes) in fullTiles)
        {
            state.Store.Remember(level, index, hashes);
        }

        return new LogState(checkpoint, edge, bundle, state.Store);

        void AddHash(int level, byte[] hash)
        {
            levels[level].Add(hash);
            counts[level]++;
            if (levels[level].Count == TileGeometry.Width)
            {
                byte[] hashes = [.. levels[level].SelectMany(h => h)];
                fullTiles.Add((level, (counts[level] - 1) >> TileGeometry.Height, hashes));
                levels[level].Clear();
                AddHash(level + 1, TileTree.SubtreeRoot(hashes));
            }
        }
    }

    /// <summary>
    /// Removes the partial tiles and bundles of tiles that became full between the two sizes (tlog-tiles
    /// allows a log to stop serving a partial tile once the full tile exists). Best effort: leftovers are
    /// removed on the next open.
    /// </summary>
    public static void RemoveObsoletePartials(TileStore store, long oldSize, long newSize)
    {
        for (int level = TilePath.EntriesLevel; level <= TileGeometry.MaxLevel; level++)
        {
            int hashLevel = Math.Max(level, 0);
            for (long index = TileGeometry.FullTiles(oldSize, hashLevel); index < TileGeometry.FullTiles(newSize, hashLevel); index++)
            {
                string partials = new TilePath(level, index, TileGeometry.Width).FullPath(store.Root) + ".p";
                try
                {
                    if (Directory.Exists(partials))
                    {
                        Directory.Delete(partials, recursive: true);
                    }
                }
                catch (IOException)
                {
                    // Left for the next open's cleanup.
                }
            }
        }
    }

    private static List<byte[]> Split(byte[] hashes)
    {
        var list = new List<byte[]>(TileGeometry.Width);
        for (int offset = 0; offset < hashes.Length; offset += TileGeometry.HashSize)
        {
            list.Add(hashes[offset..(offset + TileGeometry.HashSize)]);
        }

        return list;
    }

    /// <summary>A state's tiles seen at a size other than its checkpoint's (the new size, before it is signed).</summary>
    private sealed class SizedSource(LogState state, long size, List<(int Level, long Index, byte[] Hashes)> fullTiles) : ITileSource
    {
        public ReadOnlyMemory<byte> ReadHashes(int level, long index, int width)
        {
            if (index >= TileGeometry.FullTiles(size, level))
            {
                return state.EdgeHashes[level];
            }

            foreach ((int l, long i, byte[] hashes) in fullTiles)
            {
                if (l == level && i == index)
                {
                    return hashes;
                }
            }

            return state.Store.ReadTile(level, index, TileGeometry.Width);
        }
    }
}
