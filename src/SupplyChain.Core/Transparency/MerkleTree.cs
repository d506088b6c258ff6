using System.Security.Cryptography;

namespace SupplyChain.Core.Transparency;

/// <summary>
/// RFC 9162 (RFC 6962 bis) Merkle tree hashing with SHA-256, and verification of inclusion and
/// consistency proofs, as transparency logs (Rekor v1 and v2, CT) build them. Allocation-free: hashes are
/// computed into stack buffers. Thread-safe (stateless).
/// </summary>
public static class MerkleTree
{
    /// <summary>Size of a SHA-256 tree hash, in bytes.</summary>
    public const int HashSize = 32;

    /// <summary>
    /// RFC 9162 section 2.1.1: "MTH({d(0)}) = HASH(0x00 || d(0))" (the leaf hash).
    /// </summary>
    /// <param name="leaf">The leaf data (a log entry's canonicalized body).</param>
    /// <param name="destination">Receives the 32-byte hash.</param>
    public static void HashLeaf(ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        RequireHashSize(destination.Length, nameof(destination));
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(leaf.Length + 1);
        try
        {
            rented[0] = 0x00;
            leaf.CopyTo(rented.AsSpan(1));
            SHA256.HashData(rented.AsSpan(0, leaf.Length + 1), destination);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>RFC 9162 section 2.1.1: "MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))" (an interior node).</summary>
    /// <param name="left">The left child's 32-byte hash.</param>
    /// <param name="right">The right child's 32-byte hash.</param>
    /// <param name="destination">Receives the 32-byte hash; may overlap <paramref name="left"/>.</param>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        RequireHashSize(left.Length, nameof(left));
        RequireHashSize(right.Length, nameof(right));
        RequireHashSize(destination.Length, nameof(destination));
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        SHA256.HashData(buffer, destination);
    }

    /// <summary>
    /// Verifies an inclusion proof (RFC 9162 section 2.1.3.2) for the leaf hash <paramref name="leafHash"/>
    /// at <paramref name="index"/> in a tree of <paramref name="treeSize"/> leaves with root <paramref name="rootHash"/>.
    /// </summary>
    /// <param name="index">The leaf index.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <param name="leafHash">The leaf hash (<see cref="HashLeaf"/>).</param>
    /// <param name="proof">The audit path, leaf to root.</param>
    /// <param name="rootHash">The root hash the path must lead to.</param>
    /// <returns><see langword="true"/> when the proof leads to <paramref name="rootHash"/>.</returns>
    public static bool VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<ReadOnlyMemory<byte>> proof, ReadOnlySpan<byte> rootHash)
    {
        ArgumentNullException.ThrowIfNull(proof);

        // "1. Compare leaf_index from the inclusion_proof_v2 structure against tree_size. If
        // leaf_index is greater than or equal to tree_size, then fail the proof verification."
        if (index < 0 || treeSize <= 0 || index >= treeSize || leafHash.Length != HashSize || rootHash.Length != HashSize)
        {
            return false;
        }

        // The path length is fixed by the index and size; a longer or shorter path is malformed
        // (the loop below would also catch most, but an exact check rejects padding early).
        if (proof.Count != InclusionProofLength(index, treeSize))
        {
            return false;
        }

        // "2. Set fn to leaf_index and sn to tree_size - 1. 3. Set r to hash."
        ulong fn = (ulong)index;
        ulong sn = (ulong)(treeSize - 1);
        Span<byte> r = stackalloc byte[HashSize];
        leafHash.CopyTo(r);

        // "4. For each value p in the inclusion_path array:"
        foreach (ReadOnlyMemory<byte> p in proof)
        {
            ReadOnlySpan<byte> ps = p.Span;

            // "a. If sn is 0, then stop the iteration and fail the proof verification."
            if (sn == 0 || ps.Length != HashSize)
            {
                return false;
            }

            // "b. If LSB(fn) is set, or if fn is equal to sn, then: i. Set r to HASH(0x01 || p || r).
            // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either
            // LSB(fn) is set or fn is 0. Otherwise: Set r to HASH(0x01 || r || p)."
            if ((fn & 1) == 1 || fn == sn)
            {
                HashChildren(ps, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                HashChildren(r, ps, r);
            }

            // "c. Finally, right-shift both fn and sn one time."
            fn >>= 1;
            sn >>= 1;
        }

        // "5. Compare sn to 0. Compare r against the root_hash. If sn is equal to 0 and r and the
        // root_hash are equal, then the log has proven the inclusion of hash."
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, rootHash);
    }

    /// <summary>
    /// Verifies a consistency proof (RFC 9162 section 2.1.4.2) between a tree of <paramref name="size1"/>
    /// leaves with root <paramref name="root1"/> and a tree of <paramref name="size2"/> leaves with root <paramref name="root2"/>.
    /// </summary>
    /// <param name="size1">The older tree's size.</param>
    /// <param name="size2">The newer tree's size.</param>
    /// <param name="root1">The older tree's root.</param>
    /// <param name="root2">The newer tree's root.</param>
    /// <param name="proof">The consistency proof.</param>
    /// <returns><see langword="true"/> when the larger tree extends the smaller one.</returns>
    public static bool VerifyConsistency(long size1, long size2, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2, IReadOnlyList<ReadOnlyMemory<byte>> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 < size1 || root2.Length != HashSize || (size1 > 0 && root1.Length != HashSize))
        {
            return false;
        }

        // Every node of a path is one tree hash; anything else is malformed (and never reaches the hashing).
        for (int i = 0; i < proof.Count; i++)
        {
            if (proof[i].Length != HashSize)
            {
                return false;
            }
        }

        if (size1 == size2)
        {
            // Equal trees need no proof: they are consistent exactly when their roots are equal.
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(root1, root2);
        }

        if (size1 == 0)
        {
            // The empty tree is a prefix of every tree; there is nothing to prove.
            return proof.Count == 0;
        }

        // "1. If consistency_path is an empty array, stop and fail the proof verification."
        if (proof.Count == 0 || proof.Count > Limits.MaxInclusionProofHashes + 1)
        {
            return false;
        }

        foreach (ReadOnlyMemory<byte> c in proof)
        {
            if (c.Length != HashSize)
            {
                return false;
            }
        }

        // "2. If first is an exact power of 2, then prepend first_hash to the consistency_path array."
        bool firstIsPowerOfTwo = (size1 & (size1 - 1)) == 0;
        int start = firstIsPowerOfTwo ? -1 : 0;

        // "3. Set fn to first - 1 and sn to second - 1."
        ulong fn = (ulong)(size1 - 1);
        ulong sn = (ulong)(size2 - 1);

        // "4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set."
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        // "5. Set both fr and sr to the first value in the consistency_path array."
        Span<byte> fr = stackalloc byte[HashSize];
        Span<byte> sr = stackalloc byte[HashSize];
        ReadOnlySpan<byte> first = start < 0 ? root1 : proof[0].Span;
        first.CopyTo(fr);
        first.CopyTo(sr);

        // "6. For each subsequent value c in the consistency_path array:"
        for (int i = start + 1; i < proof.Count; i++)
        {
            ReadOnlySpan<byte> c = proof[i].Span;

            // "a. If sn is 0, then stop the iteration and fail the proof verification."
            if (sn == 0)
            {
                return false;
            }

            // "b. If LSB(fn) is set, or if fn is equal to sn, then: i. Set fr to HASH(0x01 || c || fr).
            // Set sr to HASH(0x01 || c || sr). ii. If LSB(fn) is not set, then right-shift both fn and
            // sn equally until either LSB(fn) is set or fn is 0. Otherwise: Set sr to HASH(0x01 || sr || c)."
            if ((fn & 1) == 1 || fn == sn)
            {
                HashChildren(c, fr, fr);
                HashChildren(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                HashChildren(sr, c, sr);
            }

            // "c. Finally, right-shift both fn and sn one time."
            fn >>= 1;
            sn >>= 1;
        }

        // "7. After completing iterating through the consistency_path array as described above,
        // verify that the fr calculated is equal to the first_hash supplied, that the sr calculated
        // is equal to the second_hash supplied, and that sn is 0."
        return sn == 0
            && CryptographicOperations.FixedTimeEquals(fr, root1)
            && CryptographicOperations.FixedTimeEquals(sr, root2);
    }

    /// <summary>The number of hashes in an inclusion proof for <paramref name="index"/> in a tree of <paramref name="size"/> leaves.</summary>
    private static int InclusionProofLength(long index, long size)
    {
        // The path climbs the "inner" part (where index and the last leaf differ) one hash per
        // level, then the right border, where each set bit above that level costs one hash.
        ulong i = (ulong)index;
        ulong last = (ulong)(size - 1);
        int inner = 64 - System.Numerics.BitOperations.LeadingZeroCount(i ^ last);
        int border = System.Numerics.BitOperations.PopCount(i >> inner);
        return inner + border;
    }

    private static void RequireHashSize(int length, string name)
    {
        if (length != HashSize)
        {
            throw new ArgumentException($"a tree hash is {HashSize} bytes", name);
        }
    }
}
