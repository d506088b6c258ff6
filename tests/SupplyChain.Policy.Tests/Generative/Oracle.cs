namespace SupplyChain.Policy.Tests.Generative;

/// <summary>
/// An independent statement of the enforcement rule (issue 13), written from the rule and not from the evaluator:
/// <em>allowed only if every runnable platform manifest reachable from the reference has a verified signature (on itself or
/// on the index the reference names) from its own rule's authorities meeting the threshold by distinct signers, and a
/// proven lineage (diff_ids prefix) along claims read only from signed content, to a trusted root the policy names (or
/// scratch claimed by a signed level, when scratch is trusted), every level covered by a rule.</em> Reads nothing but the
/// generator's model. Returns the decision and, when denied, the code of the first platform that fails.
/// </summary>
public static class Oracle
{
    public static (bool Allowed, string? Code) Decide(ImageGraph graph, GraphPolicy policy)
    {
        GraphRule? rule = policy.Match("registry.test/app");
        if (rule is null)
        {
            return policy.DefaultAllow ? (true, null) : (false, "SC5101");
        }

        if (!graph.IsIndex)
        {
            return Platform(graph.Manifest!, null, graph, policy, rule);
        }

        List<GraphEntry> runnable = graph.Entries.Where(e => e.Runnable).ToList();
        if (runnable.Count == 0)
        {
            return (false, "SC5111");
        }

        foreach (GraphEntry entry in runnable)
        {
            (bool allowed, string? code) = Platform(entry.Level, graph, graph, policy, rule);
            if (!allowed)
            {
                return (false, code);
            }
        }

        return (true, null);
    }

    /// <summary>One platform: the level the entry names, then its claimed bases, level by level.</summary>
    private static (bool, string?) Platform(GraphLevel top, ImageGraph? index, ImageGraph graph, GraphPolicy policy, GraphRule topRule)
    {
        GraphRule? lineage = topRule.LineageRequired ? topRule : null;
        GraphLevel level = top;
        for (int depth = 0; ; depth++)
        {
            GraphRule? rule = depth == 0 ? topRule : policy.Match(level.Name);
            IReadOnlySet<string> indexSigners = depth == 0 && index is not null ? index.IndexSigners : new HashSet<string>();
            if (rule is null)
            {
                // Only a trusted root may be unruled (a level is reached only when its claim was approved).
                return IsRoot(lineage, level) ? (true, null) : (false, "SC5114");
            }

            // Signed: distinct keys among the manifest's and the index's signers that the rule's authorities name.
            var signers = new HashSet<string>(level.Signers);
            signers.UnionWith(indexSigners);
            int distinct = rule.AuthorityKeys.Distinct().Count(signers.Contains);
            if (distinct < rule.Threshold)
            {
                return (false, signers.Count == 0 ? "SC5102" : "SC5103");
            }

            if (lineage is null)
            {
                return (true, null);
            }

            if (IsRoot(lineage, level))
            {
                return (true, null);
            }

            if (level.Layers.Count == 0)
            {
                return depth > 0 ? (false, "SC5115") : lineage.TrustedRoots.Contains("scratch") ? (true, null) : (false, "SC5106");
            }

            // Claims only from what a verified signature covers: the manifest and its config always (the level verified),
            // the index's annotations only when the index digest alone meets the rule.
            var claims = new List<ClaimSpec>();
            if (level.Claim is not null)
            {
                claims.Add(level.Claim);
            }

            bool indexCovered = depth == 0 && index is not null && rule.AuthorityKeys.Distinct().Count(index.IndexSigners.Contains) >= rule.Threshold;
            if (indexCovered && graph.IndexClaim is { } indexClaim)
            {
                claims.Add(indexClaim);
            }

            if (claims.Select(c => c.Identity).Distinct().Count() > 1)
            {
                return (false, "SC4601");
            }

            if (claims.Count == 0)
            {
                return (false, "SC5105");
            }

            ClaimSpec claim = claims[0];
            if (claim.Scratch)
            {
                return lineage.TrustedRoots.Contains("scratch") ? (true, null) : (false, "SC5106");
            }

            GraphLevel target = claim.Target!;
            if (policy.Match(target.Name) is null && !NamesRoot(lineage, target))
            {
                return (false, "SC5113");
            }

            // The proof: the base's layers are the first layers of the level.
            if (target.Layers.Count > level.Layers.Count || !target.Layers.SequenceEqual(level.Layers.Take(target.Layers.Count)))
            {
                return (false, "SC4603");
            }

            level = target;
        }
    }

    private static bool IsRoot(GraphRule? lineage, GraphLevel level) =>
        lineage is not null && (lineage.TrustedRoots.Contains(level.Digest) || lineage.TrustedRoots.Any(r => r.EndsWith("/**", StringComparison.Ordinal) && level.Name.StartsWith(r[..^2], StringComparison.Ordinal)));

    private static bool NamesRoot(GraphRule lineage, GraphLevel target) => IsRoot(lineage, target);
}
