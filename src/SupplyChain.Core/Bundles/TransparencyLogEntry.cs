using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>One transparency-log entry as carried in a bundle (protobuf-specs sigstore_rekor.proto TransparencyLogEntry). Immutable.</summary>
public sealed class TransparencyLogEntry
{
    private readonly byte[] _logId;
    private readonly byte[]? _signedEntryTimestamp;
    private readonly byte[] _canonicalizedBody;

    /// <summary>Builds an entry, checking its fields (parameters in the proto's field order).</summary>
    /// <param name="logIndex">The global index of the entry in the log; not negative.</param>
    /// <param name="logId">The log's ID, SHA-256 of its DER public key (copied; not empty).</param>
    /// <param name="kind">Entry kind, such as <c>hashedrekord</c>.</param>
    /// <param name="kindVersion">Entry kind version, such as <c>0.0.1</c>.</param>
    /// <param name="integratedTime">Unix seconds the log integrated the entry; 0 when the log gives none (Rekor v2).</param>
    /// <param name="signedEntryTimestamp">The inclusion promise (SET), or <see langword="null"/> or empty for none (copied).</param>
    /// <param name="inclusionProof">The inclusion proof, or <see langword="null"/>.</param>
    /// <param name="canonicalizedBody">The canonical body the log stored (copied; not empty).</param>
    /// <exception cref="MalformedInputException">SC1009 for an empty required field; SC1010 for a negative index; SC1014 for a negative integrated time.</exception>
    public TransparencyLogEntry(
        long logIndex,
        ReadOnlyMemory<byte> logId,
        string kind,
        string kindVersion,
        long integratedTime,
        ReadOnlyMemory<byte>? signedEntryTimestamp,
        InclusionProof? inclusionProof,
        ReadOnlyMemory<byte> canonicalizedBody)
    {
        LogIndex = BundleFields.Index(logIndex, "logIndex");
        _logId = BundleFields.Required(logId, "logId.keyId");
        Kind = BundleFields.Text(kind, "kindVersion.kind");
        KindVersion = BundleFields.Text(kindVersion, "kindVersion.version");
        if (integratedTime < 0)
        {
            throw CoreErrors.BundleInvalidNumber.ToException($"integratedTime = {integratedTime}");
        }

        IntegratedTime = integratedTime;

        // No promise is null or empty (a null byte[] converts to an empty ReadOnlyMemory, even through a nullable one);
        // the parser refuses an explicitly empty signedEntryTimestamp before it gets here.
        _signedEntryTimestamp = signedEntryTimestamp is { IsEmpty: false } set ? set.ToArray() : null;
        InclusionProof = inclusionProof;
        _canonicalizedBody = BundleFields.Required(canonicalizedBody, "canonicalizedBody");
    }

    /// <summary>The global index of the entry in the log (Rekor v1: across shards).</summary>
    public long LogIndex { get; }

    /// <summary>The log's ID: SHA-256 of its DER public key.</summary>
    public ReadOnlyMemory<byte> LogId => _logId;

    /// <summary>Entry kind, such as <c>hashedrekord</c> or <c>dsse</c>.</summary>
    public string Kind { get; }

    /// <summary>Entry kind version, such as <c>0.0.1</c>.</summary>
    public string KindVersion { get; }

    /// <summary>Unix seconds the log integrated the entry; 0 when absent (Rekor v2). Trusted only with a verified SET.</summary>
    public long IntegratedTime { get; }

    /// <summary>The inclusion promise (SET) signature, when present.</summary>
    public ReadOnlyMemory<byte>? SignedEntryTimestamp => _signedEntryTimestamp is null ? (ReadOnlyMemory<byte>?)null : _signedEntryTimestamp;

    /// <summary>The inclusion proof, when present.</summary>
    public InclusionProof? InclusionProof { get; }

    /// <summary>The canonical JSON body of the entry as the log stored it.</summary>
    public ReadOnlyMemory<byte> CanonicalizedBody => _canonicalizedBody;

    /// <summary>
    /// Parses a TransparencyLogEntry from its protobuf-specs JSON form, as Rekor v2 returns it for a new entry
    /// (rekor-tiles <c>CreateEntry</c>), with the strictness of a bundle's entries (no unknown fields or duplicate
    /// keys, strict base64). No bundle version applies yet: a bundle checks its version's rules when built.
    /// </summary>
    /// <param name="utf8Json">The entry JSON.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="MalformedInputException">The entry is malformed; the SC10xx code says how.</exception>
    public static TransparencyLogEntry Parse(ReadOnlySpan<byte> utf8Json) => BundleParser.ParseEntryDocument(utf8Json);
}

/// <summary>An RFC 6962 inclusion proof with the checkpoint it leads to (protobuf-specs InclusionProof). Immutable.</summary>
public sealed class InclusionProof
{
    private readonly byte[] _rootHash;

    /// <summary>Builds a proof, checking its fields (parameters in the proto's field order).</summary>
    /// <param name="logIndex">Index of the leaf in this log shard's tree; below <paramref name="treeSize"/>.</param>
    /// <param name="rootHash">The root hash the proof leads to (copied).</param>
    /// <param name="treeSize">The tree size the proof is for.</param>
    /// <param name="hashes">The audit path, leaf to root (copied; at most 64 hashes).</param>
    /// <param name="checkpoint">The checkpoint (C2SP signed note) committing to the root, or <see langword="null"/>.</param>
    /// <exception cref="MalformedInputException">SC1010 for a negative index or size, or an index not below the size; SC1001 for too many hashes or an oversized checkpoint.</exception>
    public InclusionProof(long logIndex, ReadOnlyMemory<byte> rootHash, long treeSize, IEnumerable<ReadOnlyMemory<byte>> hashes, string? checkpoint)
    {
        if (logIndex < 0 || treeSize < 0)
        {
            throw CoreErrors.BundleInvalidLogIndex.ToException($"logIndex {logIndex}, treeSize {treeSize}");
        }

        // RFC 6962 section 2.1.1: a leaf index m of a tree of size n satisfies 0 <= m < n.
        if (logIndex >= treeSize)
        {
            throw CoreErrors.BundleInvalidLogIndex.ToException($"logIndex {logIndex} is not below treeSize {treeSize}");
        }

        LogIndex = logIndex;
        TreeSize = treeSize;
        _rootHash = rootHash.ToArray();
        Hashes = BundleFields.List(hashes, Limits.MaxInclusionProofHashes, "inclusion proof hashes", static (h, _) => (ReadOnlyMemory<byte>)h.ToArray());
        if (checkpoint is not null)
        {
            if (checkpoint.Length > Limits.MaxCheckpointBytes)
            {
                throw CoreErrors.BundleTooLarge.ToException($"checkpoint: {checkpoint.Length} characters");
            }

            Checkpoint = BundleFields.Text(checkpoint, "checkpoint.envelope");
        }
    }

    /// <summary>Index of the leaf in this log shard's tree.</summary>
    public long LogIndex { get; }

    /// <summary>The tree's root hash the proof leads to.</summary>
    public ReadOnlyMemory<byte> RootHash => _rootHash;

    /// <summary>The tree size the proof is for.</summary>
    public long TreeSize { get; }

    /// <summary>The audit path, leaf to root.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Hashes { get; }

    /// <summary>The checkpoint (C2SP signed note) committing to <see cref="RootHash"/> and <see cref="TreeSize"/>; <see langword="null"/> when absent.</summary>
    public string? Checkpoint { get; }
}
