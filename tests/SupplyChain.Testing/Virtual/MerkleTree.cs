using System.Security.Cryptography;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// An in-memory RFC 6962 Merkle tree (section 2.1): leaf hash SHA-256(0x00 || leaf), node hash
/// SHA-256(0x01 || left || right), with audit paths (section 2.1.1). Small trees only; not thread-safe.
/// </summary>
public sealed class MerkleTree
{
    private readonly List<byte[]> _leafHashes = [];

    /// <summary>The number of leaves.</summary>
    public long Size => _leafHashes.Count;

    /// <summary>RFC 6962 leaf hash: SHA-256(0x00 || leaf).</summary>
    /// <param name="leaf">The leaf data (a log entry's canonicalized body).</param>
    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        byte[] buffer = new byte[leaf.Length + 1];
        leaf.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    /// <summary>RFC 6962 interior node hash: SHA-256(0x01 || left || right).</summary>
    /// <param name="left">The left child hash.</param>
    /// <param name="right">The right child hash.</param>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        byte[] buffer = new byte[1 + left.Length + right.Length];
        buffer[0] = 1;
        left.CopyTo(buffer.AsSpan(1));
        right.CopyTo(buffer.AsSpan(1 + left.Length));
        return SHA256.HashData(buffer);
    }

    /// <summary>Appends a leaf and returns its index.</summary>
    /// <param name="leaf">The leaf data.</param>
    public long Append(ReadOnlySpan<byte> leaf)
    {
        _leafHashes.Add(HashLeaf(leaf));
        return _leafHashes.Count - 1;
    }

    /// <summary>The root hash of the first <paramref name="treeSize"/> leaves (MTH, RFC 6962 section 2.1).</summary>
    /// <param name="treeSize">The tree size, at least 1.</param>
    public byte[] RootHash(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(treeSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(treeSize, Size);
        return Mth(0, (int)treeSize);
    }

    /// <summary>The audit path of leaf <paramref name="index"/> in the tree of <paramref name="treeSize"/> leaves (PATH, RFC 6962 section 2.1.1), leaf-side first.</summary>
    /// <param name="index">The leaf index.</param>
    /// <param name="treeSize">The tree size.</param>
    public IReadOnlyList<byte[]> InclusionProof(long index, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, treeSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(treeSize, Size);
        var path = new List<byte[]>();
        Path((int)index, 0, (int)treeSize, path);
        return path;
    }

    /// <summary>
    /// Checks another log's root hash and inclusion proof against this tree's own computation (RFC 6962 sections
    /// 2.1 and 2.1.1): the test kit's cross-check of the shipped instance's log.
    /// </summary>
    /// <param name="index">The entry index.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <param name="rootHash">The other log's root hash of that tree.</param>
    /// <param name="inclusionProof">The other log's inclusion proof of the entry in that tree.</param>
    /// <exception cref="InvalidOperationException">The two disagree (or this tree is smaller than <paramref name="treeSize"/>).</exception>
    public void CheckAgrees(long index, long treeSize, ReadOnlySpan<byte> rootHash, IReadOnlyList<byte[]> inclusionProof)
    {
        ArgumentNullException.ThrowIfNull(inclusionProof);
        if (treeSize < 1 || treeSize > Size || index < 0 || index >= treeSize)
        {
            throw new InvalidOperationException($"the other log proves entry {index} in a tree of {treeSize}; the test kit's tree has {Size} entries");
        }

        if (!rootHash.SequenceEqual(RootHash(treeSize)))
        {
            throw new InvalidOperationException($"the other log's root hash of tree size {treeSize} differs from the test kit's RFC 6962 computation");
        }

        IReadOnlyList<byte[]> expected = InclusionProof(index, treeSize);
        if (expected.Count != inclusionProof.Count || expected.Where((hash, i) => !hash.AsSpan().SequenceEqual(inclusionProof[i])).Any())
        {
            throw new InvalidOperationException($"the other log's inclusion proof of entry {index} in tree size {treeSize} differs from the test kit's RFC 6962 computation");
        }
    }

    // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k; PATH(m - k, D[k:n]) : MTH(D[0:k]) otherwise.
    private void Path(int m, int start, int end, List<byte[]> path)
    {
        int n = end - start;
        if (n <= 1)
        {
            return;
        }

        int k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, start, start + k, path);
            path.Add(Mth(start + k, end));
        }
        else
        {
            Path(m - k, start + k, end, path);
            path.Add(Mth(start, start + k));
        }
    }

    private byte[] Mth(int start, int end)
    {
        int n = end - start;
        if (n == 1)
        {
            return _leafHashes[start];
        }

        int k = LargestPowerOfTwoBelow(n);
        return HashChildren(Mth(start, start + k), Mth(start + k, end));
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        int k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
