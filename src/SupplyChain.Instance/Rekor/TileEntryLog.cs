using SupplyChain.Instance.Log;

namespace SupplyChain.Instance.Rekor;

/// <summary>The Rekor v2 service's view of the crash-safe <see cref="TileLog"/>.</summary>
internal sealed class TileEntryLog : IEntryLog
{
    private readonly TileLog _log;

    public TileEntryLog(TileLog log, CheckpointSigner signer)
    {
        _log = log;
        LogId = signer.LogId;
    }

    public string Origin => _log.Origin;

    public byte[] LogId { get; }

    public async Task<AppendedEntry> AppendAsync(byte[] body, CancellationToken cancellationToken)
    {
        LogAppendResult result = await _log.AppendAsync(body, cancellationToken).ConfigureAwait(false);
        return new AppendedEntry(result.Index, result.TreeSize, result.RootHash.ToArray(), result.Checkpoint.Text, result.InclusionProof);
    }

    public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(_log.TryReadTile(path, out ReadOnlyMemory<byte> content) ? content.ToArray() : null);
}
