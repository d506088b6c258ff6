using SupplyChain.Core.Transparency;

namespace SupplyChain.Core.Tests.Transparency;

public class MerkleTreeTests
{
    private const int MaxSize = 64;
    private static readonly List<byte[]> Leaves = Enumerable.Range(0, MaxSize).Select(i => new[] { (byte)i, (byte)(i * 7) }).ToList();

    [Fact]
    public void Leaf_and_node_hashes_use_the_RFC_9162_domain_separation_prefixes()
    {
        // RFC 9162 section 2.1.1: MTH({}) of the empty leaf is HASH(0x00) = SHA-256 of one zero byte.
        Span<byte> leaf = stackalloc byte[32];
        MerkleTree.HashLeaf([], leaf);
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(leaf));

        byte[] left = ReferenceMerkleTree.Leaf([1]);
        byte[] right = ReferenceMerkleTree.Leaf([2]);
        Span<byte> node = stackalloc byte[32];
        MerkleTree.HashChildren(left, right, node);
        Assert.Equal(ReferenceMerkleTree.Node(left, right), node.ToArray());
        Assert.NotEqual(System.Security.Cryptography.SHA256.HashData([.. left, .. right]), node.ToArray());
    }

    [Fact]
    public void Every_inclusion_proof_of_every_tree_up_to_64_leaves_verifies_and_every_tampering_fails()
    {
        int verified = 0;
        for (int size = 1; size <= MaxSize; size++)
        {
            List<byte[]> tree = Leaves.Take(size).ToList();
            byte[] root = ReferenceMerkleTree.Root(tree);
            for (int index = 0; index < size; index++)
            {
                byte[] leafHash = ReferenceMerkleTree.Leaf(tree[index]);
                List<ReadOnlyMemory<byte>> path = ReferenceMerkleTree.InclusionPath(index, tree).Select(h => (ReadOnlyMemory<byte>)h).ToList();
                Assert.True(MerkleTree.VerifyInclusion(index, size, leafHash, path, root), $"size {size} index {index}");
                verified++;

                // Wrong leaf, wrong index, wrong root.
                Assert.False(MerkleTree.VerifyInclusion(index, size, ReferenceMerkleTree.Leaf([0xFF, 0xFF]), path, root));
                if (size > 1)
                {
                    Assert.False(MerkleTree.VerifyInclusion((index + 1) % size, size, leafHash, path, root), $"moved index size {size} index {index}");
                }

                // (A proof alone does not bind the tree size when the leaf lies in complete left
                // subtrees; the signed checkpoint binds it, so no wrong-size assertion here.)
                Assert.False(MerkleTree.VerifyInclusion(index, size, leafHash, path, ReferenceMerkleTree.Leaf([9])));

                // Every single bit flip in every path hash.
                for (int p = 0; p < path.Count; p++)
                {
                    byte[] flipped = path[p].ToArray();
                    flipped[p % 32] ^= 0x01;
                    var tampered = new List<ReadOnlyMemory<byte>>(path) { [p] = flipped };
                    Assert.False(MerkleTree.VerifyInclusion(index, size, leafHash, tampered, root));
                }

                // RFC 9162 2.1.3.2: a path of the wrong length fails (extra hash, missing hash).
                Assert.False(MerkleTree.VerifyInclusion(index, size, leafHash, [.. path, root], root));
                if (path.Count > 0)
                {
                    Assert.False(MerkleTree.VerifyInclusion(index, size, leafHash, path.Take(path.Count - 1).ToList(), root));
                }
            }
        }

        Assert.Equal(MaxSize * (MaxSize + 1) / 2, verified);
    }

    [Theory]
    [InlineData(-1L, 4L)]
    [InlineData(4L, 4L)]
    [InlineData(5L, 4L)]
    [InlineData(0L, 0L)]
    public void Inclusion_rejects_an_index_outside_the_tree(long index, long size)
    {
        byte[] leaf = ReferenceMerkleTree.Leaf([1]);
        Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, [], leaf));
    }

    [Fact]
    public void Inclusion_rejects_hashes_of_the_wrong_length()
    {
        List<byte[]> tree = Leaves.Take(2).ToList();
        byte[] root = ReferenceMerkleTree.Root(tree);
        byte[] leafHash = ReferenceMerkleTree.Leaf(tree[0]);
        Assert.True(MerkleTree.VerifyInclusion(0, 2, leafHash, [ReferenceMerkleTree.Leaf(tree[1])], root));
        Assert.False(MerkleTree.VerifyInclusion(0, 2, leafHash, [ReferenceMerkleTree.Leaf(tree[1]).AsMemory(0, 31)], root));
        Assert.False(MerkleTree.VerifyInclusion(0, 2, leafHash.AsSpan(0, 31), [ReferenceMerkleTree.Leaf(tree[1])], root));
    }

    [Fact]
    public void Every_consistency_proof_between_trees_up_to_64_leaves_verifies_and_tampering_fails()
    {
        int verified = 0;
        for (int size2 = 1; size2 <= MaxSize; size2++)
        {
            List<byte[]> tree2 = Leaves.Take(size2).ToList();
            byte[] root2 = ReferenceMerkleTree.Root(tree2);
            for (int size1 = 1; size1 <= size2; size1++)
            {
                byte[] root1 = ReferenceMerkleTree.Root(Leaves.Take(size1).ToList());
                List<ReadOnlyMemory<byte>> proof = ReferenceMerkleTree.ConsistencyProof(size1, tree2).Select(h => (ReadOnlyMemory<byte>)h).ToList();
                Assert.True(MerkleTree.VerifyConsistency(size1, size2, root1, root2, proof), $"{size1} -> {size2}");
                verified++;

                if (size1 == size2)
                {
                    Assert.False(MerkleTree.VerifyConsistency(size1, size2, root1, ReferenceMerkleTree.Leaf([7]), proof));
                    continue;
                }

                Assert.False(MerkleTree.VerifyConsistency(size1, size2, ReferenceMerkleTree.Leaf([7]), root2, proof), $"bad root1 {size1} -> {size2}");
                Assert.False(MerkleTree.VerifyConsistency(size1, size2, root1, ReferenceMerkleTree.Leaf([7]), proof), $"bad root2 {size1} -> {size2}");
                Assert.False(MerkleTree.VerifyConsistency(size1, size2, root1, root2, []));
                Assert.False(MerkleTree.VerifyConsistency(size1, size2, root1, root2, [.. proof, root1]), $"extra hash {size1} -> {size2}");
                Assert.False(MerkleTree.VerifyConsistency(size1, size2, root1, root2, proof.Take(proof.Count - 1).ToList()), $"short {size1} -> {size2}");
                for (int p = 0; p < proof.Count; p++)
                {
                    byte[] flipped = proof[p].ToArray();
                    flipped[0] ^= 0x80;
                    var tampered = new List<ReadOnlyMemory<byte>>(proof) { [p] = flipped };
                    Assert.False(MerkleTree.VerifyConsistency(size1, size2, root1, root2, tampered), $"flip {p} {size1} -> {size2}");
                }
            }
        }

        Assert.Equal(MaxSize * (MaxSize + 1) / 2, verified);
    }

    [Fact]
    public void Consistency_handles_the_empty_tree_and_a_shrinking_tree()
    {
        byte[] root = ReferenceMerkleTree.Root(Leaves.Take(3).ToList());
        Assert.True(MerkleTree.VerifyConsistency(0, 3, [], root, []));
        Assert.False(MerkleTree.VerifyConsistency(0, 3, [], root, [root]));
        Assert.False(MerkleTree.VerifyConsistency(3, 2, root, root, []));
        Assert.False(MerkleTree.VerifyConsistency(3, 3, root, root, [root]));
    }
}
