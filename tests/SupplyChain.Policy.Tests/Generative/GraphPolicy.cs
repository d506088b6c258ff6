using System.Globalization;
using System.Text;

namespace SupplyChain.Policy.Tests.Generative;

/// <summary>A rule of a random policy: one image glob, key authorities (possibly the same key twice), a threshold, a lineage requirement.</summary>
public sealed record GraphRule(string Name, string Glob, IReadOnlyList<string> AuthorityKeys, int Threshold, bool LineageRequired, IReadOnlyList<string> TrustedRoots)
{
    /// <summary>The glob as the oracle reads it: an exact name, or <c>prefix/**</c>.</summary>
    public bool Matches(string name) =>
        Glob.EndsWith("/**", StringComparison.Ordinal) ? name.StartsWith(Glob[..^2], StringComparison.Ordinal) : name == Glob;
}

/// <summary>
/// A random policy for an <see cref="ImageGraph"/>: 1-3 rules over globs of the graph's repositories, authorities as
/// the test keys, thresholds 1-2, lineage required or not with trusted roots among <c>scratch</c>, <c>vendor.test/**</c>
/// and the digest of one of the graph's levels, and <c>defaultAction</c> allow or deny.
/// </summary>
public sealed class GraphPolicy
{
    private static readonly string[] Globs = ["registry.test/app", "registry.test/**", "registry.test/base", "registry.test/runtime", "vendor.test/**"];

    public required IReadOnlyList<GraphRule> Rules { get; init; }

    public required bool DefaultAllow { get; init; }

    public static GraphPolicy Generate(int seed, ImageGraph graph)
    {
        var random = new Random(seed * 7919 + 17);
        int count = 1 + random.Next(3);
        var rules = new List<GraphRule>();
        for (int i = 0; i < count; i++)
        {
            // The first rule covers the app more often than not, so that most seeds exercise the walk.
            string glob = i == 0 && random.Next(4) != 0 ? (random.Next(2) == 0 ? "registry.test/app" : "registry.test/**") : Globs[random.Next(Globs.Length)];
            var keys = new List<string>();
            int authorities = 1 + random.Next(2);
            for (int a = 0; a < authorities; a++)
            {
                keys.Add(random.Next(4) == 0 && keys.Count > 0 ? keys[0] : ImageGraph.Keys[random.Next(2)]);
            }

            int threshold = 1 + random.Next(keys.Count);
            var roots = new List<string>();
            if (random.Next(3) != 0)
            {
                roots.Add("scratch");
            }

            if (random.Next(3) == 0)
            {
                roots.Add("vendor.test/**");
            }

            if (random.Next(4) == 0 && graph.All.Count > 0)
            {
                roots.Add(graph.All[random.Next(graph.All.Count)].Digest);
            }

            rules.Add(new GraphRule("r" + i.ToString(CultureInfo.InvariantCulture), glob, keys, threshold, random.Next(5) < 3, roots));
        }

        return new GraphPolicy { Rules = rules, DefaultAllow = random.Next(2) == 0 };
    }

    /// <summary>The first rule whose glob matches <paramref name="name"/> (docs/policy.md: the first matching rule applies).</summary>
    public GraphRule? Match(string name) => Rules.FirstOrDefault(r => r.Matches(name));

    /// <summary>The policy file; <paramref name="pem"/> gives each key's public PEM.</summary>
    public string ToYaml(Func<string, string> pem)
    {
        var text = new StringBuilder();
        text.Append("apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\n");
        text.Append(DefaultAllow ? "defaultAction: allow\n" : "defaultAction: deny\n");
        text.Append("rules:\n");
        foreach (GraphRule rule in Rules)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - name: {rule.Name}\n    images: [\"{rule.Glob}\"]\n    threshold: {rule.Threshold}\n    authorities:\n");
            for (int a = 0; a < rule.AuthorityKeys.Count; a++)
            {
                string key = rule.AuthorityKeys[a];
                text.Append(CultureInfo.InvariantCulture, $"      - name: {key}-{a}\n        key: {{ pem: \"{pem(key).Trim().Replace("\n", "\\n", StringComparison.Ordinal)}\" }}\n");
            }

            if (rule.LineageRequired)
            {
                text.Append(CultureInfo.InvariantCulture, $"    lineage: {{ required: true, trustedRoots: [{string.Join(", ", rule.TrustedRoots.Select(r => "\"" + r + "\""))}] }}\n");
            }
        }

        return text.ToString();
    }

    public string Describe() =>
        $"  defaultAction {(DefaultAllow ? "allow" : "deny")}; " + string.Join("; ", Rules.Select(r =>
            $"{r.Name} {r.Glob} keys[{string.Join(",", r.AuthorityKeys)}] k={r.Threshold} lineage={(r.LineageRequired ? "[" + string.Join(",", r.TrustedRoots.Select(t => t.Length > 19 ? t[..19] : t)) + "]" : "no")}"));
}
