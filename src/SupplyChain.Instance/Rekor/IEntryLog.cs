namespace SupplyChain.Instance.Rekor;

/// <summary>An acknowledged append: where the entry is and the proof of it against a signed checkpoint.</summary>
/// <param name="Index">The entry's index.</param>
/// <param name="TreeSize">The size of the tree the proof is for.</param>
/// <param name="RootHash">That tree's root hash.</param>
/// <param name="Checkpoint">The signed checkpoint note of that tree (C2SP tlog-checkpoint).</param>
/// <param name="Proof">The RFC 6962 inclusion proof, leaf to root.</param>
internal sealed record AppendedEntry(long Index, long TreeSize, byte[] RootHash, string Checkpoint, IReadOnlyList<byte[]> Proof);

/// <summary>The transparency log as the Rekor v2 service uses it (the tile log of <c>SupplyChain.Instance.Log</c>).</summary>
internal interface IEntryLog
{
    /// <summary>The checkpoint origin (and signed-note key name).</summary>
    string Origin { get; }

    /// <summary>The log ID: the C2SP signed-note key ID SHA-256(origin || 0x0A || 0x01 || Ed25519 key).</summary>
    byte[] LogId { get; }

    /// <summary>Appends a canonicalized entry body; returns once it is durable.</summary>
    Task<AppendedEntry> AppendAsync(byte[] body, CancellationToken cancellationToken);

    /// <summary>The bytes at a tlog-tiles read path (<c>checkpoint</c>, <c>tile/...</c>), or <see langword="null"/> when there is none.</summary>
    Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken);
}
