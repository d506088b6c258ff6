using System.Numerics;
using System.Security.Cryptography;
using SupplyChain.Core.Transparency;

namespace SupplyChain.Instance.Log;

/// <summary>
/// RFC 9162 (RFC 6962) Merkle tree hashes and proofs computed from tlog-tiles tiles: a node of height h
/// is rebuilt from the 2^(h mod 8) hashes of the tile at level h / 8 below it.
/// </summary>
internal sealed class TileTree(ITileSource source)
{
    /// <summary>RFC 9162 section 2.1.1: "The hash of an empty list is the hash of an empty string: MTH({}) = SHA-256()".</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    /// <summary>RFC 9162 section 2.1.1: the leaf hash SHA-256(0x00 || entry).</summary>
    /// <param name="entry">The entry bytes.</param>
    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        byte[] hash = new byte[TileGeometry.HashSize];
        MerkleTree.HashLeaf(entry, hash);
        return hash;
    }

    /// <summary>The root of the complete subtree over <paramref name="hashes"/> (a power of two of concatenated hashes).</summary>
    /// <param name="hashes">The concatenated hashes; their count must be a power of two.</param>
    public static byte[] SubtreeRoot(ReadOnlySpan<byte> hashes)
    {
        int count = hashes.Length / TileGeometry.HashSize;
        byte[] work = hashes.ToArray();
        while (count > 1)
        {
            for (int i = 0; i < count / 2; i++)
            {
                MerkleTree.HashChildren(
                    work.AsSpan(2 * i * TileGeometry.HashSize, TileGeometry.HashSize),
                    work.AsSpan(((2 * i) + 1) * TileGeometry.HashSize, TileGeometry.HashSize),
                    work.AsSpan(i * TileGeometry.HashSize, TileGeometry.HashSize));
            }

            count /= 2;
        }

        return work[..TileGeometry.HashSize];
    }

    /// <summary>MTH(D[start:start+count]) for a range of a tree whose tiles the source holds.</summary>
    /// <param name="start">The first leaf.</param>
    /// <param name="count">The number of leaves.</param>
    public byte[] RangeHash(long start, long count)
    {
        if (count == 0)
        {
            return EmptyRoot();
        }

        if (BitOperations.IsPow2(count) && start % count == 0)
        {
            return NodeHash(BitOperations.Log2((ulong)count), start / count);
        }

        // RFC 9162 section 2.1.1: "MTH(D_n) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) where k is
        // the largest power of two smaller than n".
        long k = LargestPowerOfTwoBelow(count);
        byte[] hash = new byte[TileGeometry.HashSize];
        MerkleTree.HashChildren(RangeHash(start, k), RangeHash(start + k, count - k), hash);
        return hash;
    }

    /// <summary>RFC 9162 section 2.1.3.1: the inclusion path PATH(m, D[0:n]), deepest hash first.</summary>
    /// <param name="index">The leaf index m.</param>
    /// <param name="treeSize">The tree size n.</param>
    public List<byte[]> InclusionProof(long index, long treeSize)
    {
        var proof = new List<byte[]>();
        Path(index, 0, treeSize, proof);
        return proof;
    }

    /// <summary>RFC 9162 section 2.1.4.1: the consistency proof PROOF(m, D[0:n]) (empty when m is 0 or m = n).</summary>
    /// <param name="oldSize">The older tree size m.</param>
    /// <param name="newSize">The newer tree size n.</param>
    public List<byte[]> ConsistencyProof(long oldSize, long newSize)
    {
        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
        {
            SubProof(oldSize, 0, newSize, true, proof);
        }

        return proof;
    }

    /// <summary>The hash of the complete node at <paramref name="height"/> and <paramref name="index"/>, from one tile.</summary>
    private byte[] NodeHash(int height, long index)
    {
        int level = height / TileGeometry.Height;
        int span = 1 << (height % TileGeometry.Height);
        long first = index * span;
        long tileIndex = first >> TileGeometry.Height;
        int offset = (int)(first & (TileGeometry.Width - 1));
        ReadOnlyMemory<byte> tile = source.ReadHashes(level, tileIndex, offset + span);
        ReadOnlySpan<byte> hashes = tile.Span.Slice(offset * TileGeometry.HashSize, span * TileGeometry.HashSize);
        return span == 1 ? hashes.ToArray() : SubtreeRoot(hashes);
    }

    /// <summary>"PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m &lt; k; and PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k]) for m &gt;= k".</summary>
    private void Path(long m, long start, long n, List<byte[]> proof)
    {
        if (n <= 1)
        {
            return;
        }

        long k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, start, k, proof);
            proof.Add(RangeHash(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, proof);
            proof.Add(RangeHash(start, k));
        }
    }

    /// <summary>
    /// "SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}; for m &lt;= k: SUBPROOF(m, D[n], b) =
    /// SUBPROOF(m, D[0:k], b) : MTH(D[k:n]); for m &gt; k: SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])".
    /// </summary>
    private void SubProof(long m, long start, long n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(RangeHash(start, n));
            }

            return;
        }

        long k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, k, complete, proof);
            proof.Add(RangeHash(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(RangeHash(start, k));
        }
    }

    private static long LargestPowerOfTwoBelow(long n) => 1L << BitOperations.Log2((ulong)(n - 1));
}
