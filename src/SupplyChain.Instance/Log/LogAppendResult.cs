namespace SupplyChain.Instance.Log;

/// <summary>An acknowledged append: the entry and a checkpoint covering it are durable on disk.</summary>
public sealed class LogAppendResult
{
    private readonly Lazy<IReadOnlyList<byte[]>> _inclusionProof;

    internal LogAppendResult(long index, SignedCheckpoint checkpoint, Func<IReadOnlyList<byte[]>> inclusionProof)
    {
        Index = index;
        Checkpoint = checkpoint;
        _inclusionProof = new Lazy<IReadOnlyList<byte[]>>(inclusionProof);
    }

    /// <summary>The entry's index in the log.</summary>
    public long Index { get; }

    /// <summary>The size of the tree the proof and checkpoint are for.</summary>
    public long TreeSize => Checkpoint.Size;

    /// <summary>The root hash of that tree.</summary>
    public ReadOnlyMemory<byte> RootHash => Checkpoint.RootHash;

    /// <summary>The signed checkpoint of that tree.</summary>
    public SignedCheckpoint Checkpoint { get; }

    /// <summary>RFC 9162 inclusion proof of the entry in that tree, deepest hash first (computed on first use).</summary>
    public IReadOnlyList<byte[]> InclusionProof => _inclusionProof.Value;
}
