using System.Security.Cryptography;

namespace SupplyChain.Core.Tests.Transparency;

/// <summary>
/// A deliberately naive, recursive RFC 9162 Merkle tree (section 2.1.1 MTH, 2.1.3.1 PATH, 2.1.4.1
/// PROOF/SUBPROOF), used as the reference the optimised verifier is checked against.
/// </summary>
internal static class ReferenceMerkleTree
{
    public static byte[] Leaf(byte[] data) => SHA256.HashData([0x00, .. data]);

    public static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>"The largest power of two smaller than n" (n &gt; 1).</summary>
    public static int Split(int n)
    {
        int k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    public static byte[] Root(IReadOnlyList<byte[]> d) => d.Count switch
    {
        0 => SHA256.HashData([]),
        1 => Leaf(d[0]),
        _ => Node(Root(d.Take(Split(d.Count)).ToList()), Root(d.Skip(Split(d.Count)).ToList())),
    };

    /// <summary>RFC 9162 section 2.1.3.1: PATH(m, D[n]).</summary>
    public static List<byte[]> InclusionPath(int m, IReadOnlyList<byte[]> d)
    {
        if (d.Count == 1)
        {
            return [];
        }

        int k = Split(d.Count);
        List<byte[]> left = d.Take(k).ToList();
        List<byte[]> right = d.Skip(k).ToList();
        return m < k
            ? [.. InclusionPath(m, left), Root(right)]
            : [.. InclusionPath(m - k, right), Root(left)];
    }

    /// <summary>RFC 9162 section 2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true).</summary>
    public static List<byte[]> ConsistencyProof(int m, IReadOnlyList<byte[]> d) => SubProof(m, d, true);

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> d, bool b)
    {
        int n = d.Count;
        if (m == n)
        {
            return b ? [] : [Root(d)];
        }

        int k = Split(n);
        return m <= k
            ? [.. SubProof(m, d.Take(k).ToList(), b), Root(d.Skip(k).ToList())]
            : [.. SubProof(m - k, d.Skip(k).ToList(), false), Root(d.Take(k).ToList())];
    }
}
