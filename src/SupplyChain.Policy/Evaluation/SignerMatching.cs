using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// k-of-n counts distinct signers: one signer satisfies at most one authority (a single signature whose identity two
/// authorities both accept must not meet <c>threshold: 2</c>). The count is the size of a maximum bipartite matching
/// between authorities and the distinct signers each accepts (augmenting paths, Kuhn's algorithm; at most
/// authorities x signers steps, both bounded by the policy and the signature limits).
/// </summary>
internal static class SignerMatching
{
    /// <summary>The matched pairs: each authority with the one distinct signer assigned to it.</summary>
    public static IReadOnlyList<(PolicyAuthority Authority, EvidenceSigner Signer)> Match(IReadOnlyList<(PolicyAuthority Authority, IReadOnlyList<EvidenceSigner> Accepts)> candidates)
    {
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var chosen = new EvidenceSigner?[candidates.Count];
        for (int a = 0; a < candidates.Count; a++)
        {
            TryAssign(a, candidates, owner, chosen, new HashSet<string>(StringComparer.Ordinal));
        }

        var pairs = new List<(PolicyAuthority, EvidenceSigner)>();
        for (int a = 0; a < candidates.Count; a++)
        {
            if (chosen[a] is { } signer)
            {
                pairs.Add((candidates[a].Authority, signer));
            }
        }

        return pairs;
    }

    private static bool TryAssign(int authority, IReadOnlyList<(PolicyAuthority Authority, IReadOnlyList<EvidenceSigner> Accepts)> candidates, Dictionary<string, int> owner, EvidenceSigner?[] chosen, HashSet<string> seen)
    {
        foreach (EvidenceSigner signer in candidates[authority].Accepts)
        {
            if (!seen.Add(signer.SignerId))
            {
                continue;
            }

            if (!owner.TryGetValue(signer.SignerId, out int other) || TryAssign(other, candidates, owner, chosen, seen))
            {
                owner[signer.SignerId] = authority;
                chosen[authority] = signer;
                return true;
            }
        }

        return false;
    }
}
