namespace SupplyChain.Instance.Log;

/// <summary>An acknowledged append: the entry and a checkpoint covering it are durable on disk.</summary>
public sealed class LogAppendResult
{
    internal LogAppendResult(long index, SignedCheckpoint checkpoint, IReadOnlyList<byte[]> inclusionProof)
    {
        Index = index;
        Checkpoint = checkpoint;
        InclusionProof = inclusionProof;
    }

    /// <summary>The entry's index in the log.</summary>
    public long Index { get; }

    /// <summary>The size of the tree the proof and checkpoint are for.</summary>
    public long TreeSize => Checkpoint.Size;

    /// <summary>The root hash of that tree.</summary>
    public ReadOnlyMemory<byte> RootHash => Checkpoint.RootHash;

    /// <summary>The signed checkpoint of that tree.</summary>
    public SignedCheckpoint Checkpoint { get; }

    /// <summary>RFC 9162 inclusion proof of the entry in that tree, deepest hash first.</summary>
    public IReadOnlyList<byte[]> InclusionProof { get; }
}
