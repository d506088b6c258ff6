using System.Text;
using System.Threading.Channels;

namespace SupplyChain.Instance.Log;

/// <summary>
/// An append-only C2SP tlog-tiles transparency log in a directory, with Ed25519 signed-note checkpoints.
/// Crash-safe: an append is acknowledged only once its entry, every tile over it and a checkpoint
/// covering it are durable; opening the log again recovers to its last checkpoint. One writer per
/// directory (an exclusive lock file). Thread-safe; concurrent appends are batched under one checkpoint.
/// </summary>
/// <remarks>
/// On-disk layout (tlog-tiles): <c>checkpoint</c> (the signed note), <c>tile/&lt;L&gt;/&lt;N&gt;</c> and
/// <c>tile/&lt;L&gt;/&lt;N&gt;.p/&lt;W&gt;</c> (hash tiles), <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>
/// (entry bundles), plus <c>log.lock</c>. The origin is <see cref="CheckpointSigner.Name"/>; see
/// <see cref="CheckpointSigner"/> for the matching <c>trusted_root.json</c> entry.
/// </remarks>
public sealed class TileLog : IDisposable, IAsyncDisposable
{
    /// <summary>The checkpoint file name.</summary>
    internal const string CheckpointFile = "checkpoint";

    private readonly CheckpointSigner _signer;
    private readonly TileLogOptions _options;
    private readonly FileStream _lock;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private volatile LogState _state;
    private volatile Exception? _fault;
    private int _disposed;

    private TileLog(string directory, CheckpointSigner signer, TileLogOptions options, FileStream lockFile, LogState state)
    {
        Directory = directory;
        _signer = signer;
        _options = options;
        _lock = lockFile;
        _state = state;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>The checkpoint origin, equal to the signer's key name.</summary>
    public string Origin => _signer.Name;

    /// <summary>The latest durable checkpoint.</summary>
    public SignedCheckpoint LatestCheckpoint => _state.Checkpoint;

    /// <summary>The number of entries covered by <see cref="LatestCheckpoint"/>.</summary>
    public long Size => _state.Size;

    /// <summary>
    /// Opens the log in <paramref name="directory"/>, creating it (with a checkpoint of the empty tree)
    /// when it has no checkpoint and no tiles. The checkpoint is the truth: it must verify with
    /// <paramref name="signer"/>'s key (SC8103), the tiles at its right edge must rebuild its root (SC8106,
    /// SC8104, SC8105), and files an interrupted append left past it are removed.
    /// SC8101 when another writer holds the directory.
    /// </summary>
    /// <param name="directory">The log directory.</param>
    /// <param name="signer">The checkpoint key; its name is the origin.</param>
    /// <param name="options">Batching options.</param>
    public static TileLog Open(string directory, CheckpointSigner signer, TileLogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(signer);
        options ??= new TileLogOptions();
        options.Validate();
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, "log.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw InstanceErrors.LogLocked.ToException("another process or log instance has this directory open", e);
        }

        try
        {
            LogState state = LogRecovery.Recover(new TileStore(directory), signer);
            return new TileLog(directory, signer, options, lockFile, state);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends an entry and completes once it and a checkpoint covering it are durable. Cancelling stops the
    /// wait only: an entry already queued may still be appended. SC8102 for an empty or over-65535-byte entry,
    /// SC8110 when the log is closed or stopped after a write failure.
    /// </summary>
    /// <param name="entry">The entry bytes (a Rekor v2 entry body).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<LogAppendResult> AppendAsync(ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default)
    {
        if (entry.Length is 0 or > Limits.MaxLogEntryBytes)
        {
            throw InstanceErrors.LogEntrySizeInvalid.ToException($"{entry.Length} bytes; 1 to {Limits.MaxLogEntryBytes} allowed");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAppend(entry.ToArray());
        if (_fault is not null || !_queue.Writer.TryWrite(pending))
        {
            throw InstanceErrors.LogUnavailable.ToException(_fault is null ? "the log is closed" : "an earlier write failed; reopen the log", _fault);
        }

        (long index, LogState state) = await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new LogAppendResult(index, state.Checkpoint, () => state.Tree.InclusionProof(index, state.Size));
    }

    /// <summary>The entry at <paramref name="index"/> (SC8107 when beyond the log).</summary>
    /// <param name="index">The entry index.</param>
    public ReadOnlyMemory<byte> ReadEntry(long index)
    {
        LogState state = _state;
        RequireRange(index >= 0 && index < state.Size, $"index {index} in a log of {state.Size}");
        return state.ReadEntry(index);
    }

    /// <summary>The RFC 9162 inclusion proof of entry <paramref name="index"/> in the tree of <paramref name="treeSize"/> entries (SC8107 when out of range).</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="treeSize">A tree size up to the current size.</param>
    public IReadOnlyList<byte[]> GetInclusionProof(long index, long treeSize)
    {
        LogState state = _state;
        RequireRange(index >= 0 && index < treeSize && treeSize <= state.Size, $"index {index} in a tree of {treeSize}; the log has {state.Size}");
        return state.Tree.InclusionProof(index, treeSize);
    }

    /// <summary>The RFC 9162 consistency proof between two tree sizes (SC8107 when out of range; empty for equal sizes or 0).</summary>
    /// <param name="oldSize">The older tree size.</param>
    /// <param name="newSize">The newer tree size, up to the current size.</param>
    public IReadOnlyList<byte[]> GetConsistencyProof(long oldSize, long newSize)
    {
        LogState state = _state;
        RequireRange(oldSize >= 0 && oldSize <= newSize && newSize <= state.Size, $"sizes {oldSize} to {newSize}; the log has {state.Size}");
        return state.Tree.ConsistencyProof(oldSize, newSize);
    }

    /// <summary>The root hash of the tree of <paramref name="treeSize"/> entries (SC8107 when beyond the log).</summary>
    /// <param name="treeSize">A tree size up to the current size.</param>
    public byte[] GetRootHash(long treeSize)
    {
        LogState state = _state;
        RequireRange(treeSize >= 0 && treeSize <= state.Size, $"size {treeSize}; the log has {state.Size}");
        return state.Tree.RangeHash(0, treeSize);
    }

    /// <summary>
    /// Reads a tlog-tiles resource for serving: <c>checkpoint</c>, <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> or
    /// <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>. Only canonical paths within the latest checkpoint are served,
    /// so a path can neither leave the tile tree nor expose an uncommitted tile.
    /// </summary>
    /// <param name="path">The path relative to the log's URL prefix, without a leading slash.</param>
    /// <param name="content">The resource bytes.</param>
    /// <returns><see langword="false"/> when the path is not a resource of the current tree.</returns>
    public bool TryReadTile(string path, out ReadOnlyMemory<byte> content)
    {
        content = default;
        LogState state = _state;
        if (string.Equals(path, CheckpointFile, StringComparison.Ordinal))
        {
            content = Encoding.UTF8.GetBytes(state.Checkpoint.Text);
            return true;
        }

        if (!TilePath.TryParse(path, out TilePath tile))
        {
            return false;
        }

        int level = tile.IsEntries ? 0 : tile.Level;
        long full = TileGeometry.FullTiles(state.Size, level);
        int edgeWidth = TileGeometry.PartialWidth(state.Size, level);
        if (tile.IsFull ? tile.Index >= full : tile.Index != full || tile.Width > edgeWidth)
        {
            return false;
        }

        if (tile.IsEntries)
        {
            content = tile.Index == full
                ? EntryBundle.Encode([.. state.EdgeEntries.Take(tile.Width)])
                : EntryBundle.Encode(state.Store.ReadBundle(tile.Index, TileGeometry.Width));
        }
        else
        {
            content = tile.Index == full
                ? state.EdgeHashes[level].AsMemory(0, tile.Width * TileGeometry.HashSize)
                : state.Store.ReadTile(level, tile.Index, TileGeometry.Width);
        }

        return true;
    }

    /// <summary>Finishes queued appends and releases the directory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            _writer.GetAwaiter().GetResult();
            _lock.Dispose();
        }
    }

    /// <summary>Finishes queued appends and releases the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            await _writer.ConfigureAwait(false);
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void RequireRange(bool condition, string detail)
    {
        if (!condition)
        {
            throw InstanceErrors.LogIndexOutOfRange.ToException(detail);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        ChannelReader<PendingAppend> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Drain(reader, batch);
            if (batch.Count < _options.MaxBatchSize && _options.MaxBatchDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.MaxBatchDelay, _options.TimeProvider).ConfigureAwait(false);
                Drain(reader, batch);
            }

            if (_fault is null)
            {
                try
                {
                    LogState committed = LogCommit.Commit(_state, batch.Select(p => p.Entry).ToList(), _signer);
                    long first = _state.Size;
                    _state = committed;

                    // The checkpoint is durable, so partials of tiles that became full may go; remove them before
                    // acknowledging, so that a caller never sees them after its append returned.
                    LogCommit.RemoveObsoletePartials(committed.Store, first, committed.Size);
                    for (int i = 0; i < batch.Count; i++)
                    {
                        batch[i].Completion.TrySetResult((first + i, committed));
                    }

                    batch.Clear();
                    continue;
                }
                catch (Exception e)
                {
                    // The disk may now hold tiles past the checkpoint; only a reopen (recovery) makes the
                    // in-memory edge and the disk agree again, so fail closed until then.
                    _fault = e;
                }
            }

            foreach (PendingAppend pending in batch)
            {
                pending.Completion.TrySetException(InstanceErrors.LogUnavailable.ToException("the write failed; reopen the log", _fault));
            }

            batch.Clear();
        }
    }

    private void Drain(ChannelReader<PendingAppend> reader, List<PendingAppend> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out PendingAppend? pending))
        {
            batch.Add(pending);
        }
    }

    private sealed class PendingAppend(byte[] entry)
    {
        public byte[] Entry { get; } = entry;

        public TaskCompletionSource<(long Index, LogState State)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
