namespace SupplyChain.Core.Bundles;

/// <summary>One transparency-log entry as carried in a bundle (protobuf-specs TransparencyLogEntry).</summary>
public sealed class TransparencyLogEntry
{
    internal TransparencyLogEntry(
        long logIndex,
        ReadOnlyMemory<byte> logId,
        string kind,
        string kindVersion,
        long integratedTime,
        ReadOnlyMemory<byte>? signedEntryTimestamp,
        InclusionProof? inclusionProof,
        ReadOnlyMemory<byte> canonicalizedBody)
    {
        LogIndex = logIndex;
        LogId = logId;
        Kind = kind;
        KindVersion = kindVersion;
        IntegratedTime = integratedTime;
        SignedEntryTimestamp = signedEntryTimestamp;
        InclusionProof = inclusionProof;
        CanonicalizedBody = canonicalizedBody;
    }

    /// <summary>The global index of the entry in the log (Rekor v1: across shards).</summary>
    public long LogIndex { get; }

    /// <summary>The log's ID: SHA-256 of its DER public key.</summary>
    public ReadOnlyMemory<byte> LogId { get; }

    /// <summary>Entry kind, such as <c>hashedrekord</c> or <c>dsse</c>.</summary>
    public string Kind { get; }

    /// <summary>Entry kind version, such as <c>0.0.1</c>.</summary>
    public string KindVersion { get; }

    /// <summary>Unix seconds the log integrated the entry; 0 when absent (Rekor v2). Trusted only with a verified SET.</summary>
    public long IntegratedTime { get; }

    /// <summary>The inclusion promise (SET) signature, when present.</summary>
    public ReadOnlyMemory<byte>? SignedEntryTimestamp { get; }

    /// <summary>The inclusion proof, when present.</summary>
    public InclusionProof? InclusionProof { get; }

    /// <summary>The canonical JSON body of the entry as the log stored it.</summary>
    public ReadOnlyMemory<byte> CanonicalizedBody { get; }
}

/// <summary>An RFC 6962 inclusion proof with the checkpoint it leads to.</summary>
public sealed class InclusionProof
{
    internal InclusionProof(long logIndex, ReadOnlyMemory<byte> rootHash, long treeSize, IReadOnlyList<ReadOnlyMemory<byte>> hashes, string? checkpoint)
    {
        LogIndex = logIndex;
        RootHash = rootHash;
        TreeSize = treeSize;
        Hashes = hashes;
        Checkpoint = checkpoint;
    }

    /// <summary>Index of the leaf in this log shard's tree.</summary>
    public long LogIndex { get; }

    /// <summary>The tree's root hash the proof leads to.</summary>
    public ReadOnlyMemory<byte> RootHash { get; }

    /// <summary>The tree size the proof is for.</summary>
    public long TreeSize { get; }

    /// <summary>The audit path, leaf to root.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Hashes { get; }

    /// <summary>The checkpoint (C2SP signed note) committing to <see cref="RootHash"/> and <see cref="TreeSize"/>; <see langword="null"/> when absent.</summary>
    public string? Checkpoint { get; }
}
