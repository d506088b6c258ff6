using System.Security.Cryptography;

namespace SupplyChain.Instance.Log;

/// <summary>
/// Audits a log directory: the checkpoint's signature, every entry bundle and tile of the tree it names
/// rebuilt from the entries up, and the root. Reads only, takes no lock; audit a log that is not being
/// appended to, or expect SC8105 when a concurrent append removes a partial tile mid-audit.
/// </summary>
public static class LogVerifier
{
    /// <summary>
    /// Verifies the log in <paramref name="directory"/> against <paramref name="verifierKey"/> and returns what was
    /// checked; throws SC8103 (checkpoint), SC8105 (missing or malformed file), SC8104 (a tile that does not hold
    /// the recomputed hashes) or SC8106 (root mismatch).
    /// </summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="verifierKey">The C2SP verifier key of the log (<see cref="CheckpointSigner.VerifierKey"/>).</param>
    /// <param name="cancellationToken">Stops the audit.</param>
    public static LogVerificationReport Verify(string directory, string verifierKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(verifierKey);
        var store = new TileStore(Path.GetFullPath(directory));
        SignedCheckpoint checkpoint = SignedCheckpoint.Parse(LogRecovery.ReadCheckpoint(Path.Combine(store.Root, TileLog.CheckpointFile)), verifierKey);
        long size = checkpoint.Size;
        int tiles = 0;

        // Level 0 from the entry bundles, streamed; the hashes of each higher level are kept.
        var row = new List<byte[]>();
        for (long index = 0; index <= TileGeometry.FullTiles(size, 0); index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int width = Width(size, 0, index);
            if (width == 0)
            {
                break;
            }

            List<byte[]> entries = store.ReadBundle(index, width);
            byte[] computed = [.. entries.SelectMany(e => TileTree.LeafHash(e))];
            tiles += Compare(store, 0, index, width, computed, row);
        }

        for (int level = 1; level < TileGeometry.Levels(size); level++)
        {
            var next = new List<byte[]>();
            for (long index = 0; index <= TileGeometry.FullTiles(size, level); index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int width = Width(size, level, index);
                if (width == 0)
                {
                    break;
                }

                byte[] computed = [.. row.Skip((int)(index * TileGeometry.Width)).Take(width).SelectMany(h => h)];
                tiles += Compare(store, level, index, width, computed, next);
            }

            row = next;
        }

        // RFC 9162 section 2.1.1 over the tiles just checked.
        byte[] root = new TileTree(new CheckedSource(store, size)).RangeHash(0, size);
        if (!CryptographicOperations.FixedTimeEquals(root, checkpoint.RootHash.Span))
        {
            throw InstanceErrors.LogRootMismatch.ToException($"the tiles of a tree of {size} do not rebuild the checkpoint's root");
        }

        return new LogVerificationReport(checkpoint, size, tiles);
    }

    private static int Width(long size, int level, long index) =>
        index < TileGeometry.FullTiles(size, level) ? TileGeometry.Width : TileGeometry.PartialWidth(size, level);

    /// <summary>Compares a stored tile with the recomputed hashes; a full tile's root goes to the level above.</summary>
    private static int Compare(TileStore store, int level, long index, int width, byte[] computed, List<byte[]> above)
    {
        byte[] stored = store.ReadTile(level, index, width);
        if (!CryptographicOperations.FixedTimeEquals(stored, computed))
        {
            throw InstanceErrors.LogTileMismatch.ToException(new TilePath(level, index, width).ToString());
        }

        if (width == TileGeometry.Width)
        {
            above.Add(TileTree.SubtreeRoot(computed));
        }

        return 1;
    }

    private sealed class CheckedSource(TileStore store, long size) : ITileSource
    {
        public ReadOnlyMemory<byte> ReadHashes(int level, long index, int width) => store.ReadTile(level, index, Width(size, level, index));
    }
}
