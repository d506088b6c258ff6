using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SupplyChain.Instance.Log;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// A transparency log for tests, with a signing key and C2SP tlog-checkpoint signed notes, and tampering on top
/// (<see cref="SignCheckpoint"/> with another key, hint, origin or name). Create spare logs (not in the trusted root)
/// with <see cref="CreateRekorV1"/>/<see cref="CreateRekorV2"/> to test entries from an unknown log.
/// </summary>
/// <remarks>
/// <para>Rekor v2: the entries go to the shipped instance's log (<see cref="TileLog"/> with a
/// <see cref="CheckpointSigner"/> of the same Ed25519 key, in a temporary directory deleted on
/// <see cref="Dispose"/>), and the honest checkpoints and inclusion proofs are the instance's. Every entry is also
/// appended to the test kit's own RFC 6962 <see cref="Tree"/>, an independent computation: each append checks that
/// the two agree on the root hash and the inclusion proof (<see cref="MerkleTree.CheckAgrees"/>) and throws
/// <see cref="InvalidOperationException"/> when they do not.</para>
/// <para>Rekor v1 (ECDSA P-256 key, SET, v1 entry shapes) has no counterpart in the instance, which serves Rekor v2
/// only: it lives here, on <see cref="Tree"/>.</para>
/// </remarks>
public sealed class VirtualTransparencyLog : IDisposable
{
    private readonly InstanceBackedLog? _instanceLog;

    private VirtualTransparencyLog(LogFlavour flavour, string origin, string keyName, string baseUrl, LogKey key, byte[] logId, byte[] keyHint, int fillerEntries)
    {
        if (flavour == LogFlavour.RekorV2)
        {
            _instanceLog = new InstanceBackedLog(origin, key);
        }

        Flavour = flavour;
        Origin = origin;
        KeyName = keyName;
        BaseUrl = baseUrl;
        Key = key;
        LogId = logId;
        KeyHint = keyHint;
        byte[][] fillers = [.. Enumerable.Range(0, fillerEntries).Select(i => Encoding.UTF8.GetBytes($"{{\"filler\":{i},\"origin\":\"{origin}\"}}"))];
        _instanceLog?.AppendAll(fillers);
        foreach (byte[] filler in fillers)
        {
            Tree.Append(filler);
        }

        if (_instanceLog is not null && fillerEntries > 0)
        {
            Tree.CheckAgrees(0, fillerEntries, _instanceLog.Log.GetRootHash(fillerEntries), _instanceLog.Log.GetInclusionProof(0, fillerEntries));
        }
    }

    /// <summary>Rekor v1 or v2.</summary>
    public LogFlavour Flavour { get; }

    /// <summary>The checkpoint origin line (first line of the note).</summary>
    public string Origin { get; }

    /// <summary>The key name on the checkpoint's signature line (the origin's host part for Rekor v1).</summary>
    public string KeyName { get; }

    /// <summary>The log's base URL, as listed in the trusted root (contains <see cref="KeyName"/>, which verifiers match).</summary>
    public string BaseUrl { get; }

    /// <summary>The log's signing key.</summary>
    public LogKey Key { get; }

    /// <summary>
    /// The log ID: SHA-256 of the DER SPKI for Rekor v1; the C2SP signed-note key ID
    /// SHA-256(origin || 0x0A || 0x01 || raw key) for Rekor v2.
    /// </summary>
    public byte[] LogId { get; }

    /// <summary>The 4-byte key hint on checkpoint signature lines.</summary>
    public byte[] KeyHint { get; }

    /// <summary>The test kit's own Merkle tree of the log's entries (filler entries first): the whole log for Rekor v1, a cross-check of the instance's log for Rekor v2.</summary>
    public MerkleTree Tree { get; } = new();

    /// <summary>The shipped instance's log holding the entries (Rekor v2), or <see langword="null"/> (Rekor v1).</summary>
    public TileLog? InstanceLog => _instanceLog?.Log;

    /// <summary>The shipped instance's checkpoint signer over <see cref="Key"/> (Rekor v2), or <see langword="null"/> (Rekor v1).</summary>
    public CheckpointSigner? CheckpointSigner => _instanceLog?.Signer;

    /// <summary>Creates a Rekor v1-style log with a fresh ECDSA P-256 key.</summary>
    /// <param name="origin">The checkpoint origin (host, " - ", tree ID).</param>
    /// <param name="fillerEntries">Prior entries, so inclusion proofs have several hashes.</param>
    public static VirtualTransparencyLog CreateRekorV1(string origin = "rekor.virtual.test - 1234567890", int fillerEntries = 13)
    {
        ArgumentNullException.ThrowIfNull(origin);
        LogKey key = LogKey.CreateEcdsaP256();
        byte[] logId = SHA256.HashData(key.SubjectPublicKeyInfo);
        int dash = origin.IndexOf(" - ", StringComparison.Ordinal);
        string name = dash >= 0 ? origin[..dash] : origin;

        // Rekor v1 checkpoints carry the first 4 bytes of the log ID as the key hint.
        return new VirtualTransparencyLog(LogFlavour.RekorV1, origin, name, "https://" + name, key, logId, logId[..4], fillerEntries);
    }

    /// <summary>Creates a Rekor v2-style log with a fresh Ed25519 key.</summary>
    /// <param name="origin">The checkpoint origin, also the key name.</param>
    /// <param name="fillerEntries">Prior entries, so inclusion proofs have several hashes.</param>
    public static VirtualTransparencyLog CreateRekorV2(string origin = "log2025.virtual.test", int fillerEntries = 21)
    {
        ArgumentNullException.ThrowIfNull(origin);
        LogKey key = LogKey.CreateEd25519();

        // C2SP signed-note: Ed25519 key ID = SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4].
        byte[] keyId = SHA256.HashData([.. Encoding.UTF8.GetBytes(origin), 0x0A, 0x01, .. key.RawPublicKey]);
        return new VirtualTransparencyLog(LogFlavour.RekorV2, origin, origin, "https://" + origin, key, keyId, keyId[..4], fillerEntries);
    }

    /// <summary>Appends a canonicalized body and returns its index (Rekor v2: in the instance's log and, cross-checked, in <see cref="Tree"/>).</summary>
    /// <param name="canonicalizedBody">The entry body, hashed as the leaf.</param>
    public long Append(ReadOnlySpan<byte> canonicalizedBody) => AppendWithProof(canonicalizedBody).Index;

    /// <summary>
    /// Appends a canonicalized body and returns its index, the tree it was proved in, the inclusion proof and the
    /// honest signed checkpoint of that tree. Rekor v2: all from the instance's log, after checking that
    /// <see cref="Tree"/> computes the same root and proof (<see cref="InvalidOperationException"/> otherwise).
    /// </summary>
    /// <param name="canonicalizedBody">The entry body, hashed as the leaf.</param>
    public LogAppend AppendWithProof(ReadOnlySpan<byte> canonicalizedBody)
    {
        lock (Tree)
        {
            if (_instanceLog is null)
            {
                long index = Tree.Append(canonicalizedBody);
                long size = Tree.Size;
                byte[] root = Tree.RootHash(size);
                return new LogAppend(index, size, root, Tree.InclusionProof(index, size), SignCheckpoint(size, root));
            }

            LogAppendResult result = _instanceLog.Append(canonicalizedBody.ToArray());
            long mirrored = Tree.Append(canonicalizedBody);
            if (mirrored != result.Index)
            {
                throw new InvalidOperationException($"the instance's log put the entry at {result.Index}, the test kit's tree at {mirrored}");
            }

            Tree.CheckAgrees(result.Index, result.TreeSize, result.RootHash.Span, result.InclusionProof);
            return new LogAppend(result.Index, result.TreeSize, result.RootHash.ToArray(), result.InclusionProof, result.Checkpoint.Text);
        }
    }

    /// <summary>
    /// A C2SP tlog-checkpoint signed note: <c>origin\nsize\nbase64(root)\n\n— name base64(hint || signature)\n</c>,
    /// the signature covering the note text up to and including the newline before the blank line.
    /// </summary>
    /// <param name="treeSize">The tree size.</param>
    /// <param name="rootHash">The root hash.</param>
    /// <param name="signingKey">A different key to sign with (tamper tests); defaults to the log key.</param>
    /// <param name="keyHint">A different 4-byte key hint (tamper tests); defaults to <see cref="KeyHint"/>.</param>
    /// <param name="origin">A different origin line (tamper tests); defaults to <see cref="Origin"/>.</param>
    /// <param name="keyName">A different key name on the signature line; defaults to <see cref="KeyName"/>.</param>
    public string SignCheckpoint(long treeSize, byte[] rootHash, LogKey? signingKey = null, byte[]? keyHint = null, string? origin = null, string? keyName = null)
    {
        ArgumentNullException.ThrowIfNull(rootHash);
        string body = (origin ?? Origin) + "\n" + treeSize.ToString(CultureInfo.InvariantCulture) + "\n" + Convert.ToBase64String(rootHash) + "\n";
        byte[] signature = (signingKey ?? Key).Sign(Encoding.UTF8.GetBytes(body));
        byte[] hinted = [.. keyHint ?? KeyHint, .. signature];
        return body + "\n\u2014 " + (keyName ?? KeyName) + " " + Convert.ToBase64String(hinted) + "\n";
    }

    /// <summary>
    /// The Rekor v1 signed entry timestamp: the log's signature over the RFC 8785 canonical JSON
    /// <c>{"body","integratedTime","logID"(hex),"logIndex"}</c>.
    /// </summary>
    /// <param name="canonicalizedBody">The entry body.</param>
    /// <param name="integratedTime">Seconds since the Unix epoch.</param>
    /// <param name="logIndex">The entry's log index.</param>
    /// <param name="signingKey">A different key to sign with (tamper tests).</param>
    public byte[] SignEntryTimestamp(ReadOnlySpan<byte> canonicalizedBody, long integratedTime, long logIndex, LogKey? signingKey = null)
    {
        string payload = "{\"body\":\"" + Convert.ToBase64String(canonicalizedBody)
            + "\",\"integratedTime\":" + integratedTime.ToString(CultureInfo.InvariantCulture)
            + ",\"logID\":\"" + Convert.ToHexStringLower(LogId)
            + "\",\"logIndex\":" + logIndex.ToString(CultureInfo.InvariantCulture) + "}";
        return (signingKey ?? Key).Sign(Encoding.UTF8.GetBytes(payload));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _instanceLog?.Dispose();
        Key.Dispose();
    }
}
