using System.Globalization;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Model;
using SupplyChain.Policy.Tests.Evaluation;
using SupplyChain.Testing.Oci;
using Xunit.Abstractions;

namespace SupplyChain.Policy.Tests.Generative;

/// <summary>
/// Issue 13 item 11, the generative half: for each seed, a random image graph (<see cref="ImageGraph"/>) pushed into the
/// in-memory registry with real signatures (test keys, VirtualSigstore log, bundle referrers) and a random policy
/// (<see cref="GraphPolicy"/>), judged by the real <see cref="PolicyEvaluator"/> over the signature layer and by the
/// independent <see cref="Oracle"/>. They must agree on the decision, and on the code when both deny. A fixed list of
/// seeds runs in CI; <c>SUPPLYCHAIN_ORACLE_SEEDS=N</c> runs N more random seeds (printed, so a failure can be replayed
/// with <c>SUPPLYCHAIN_ORACLE_SEED=S</c>).
/// </summary>
public sealed class OracleAgreementTests : IDisposable
{
    /// <summary>The seeds CI runs (fast: all in memory).</summary>
    public const int FixedSeeds = 400;

    private readonly ITestOutputHelper _output;
    private readonly SignedWorld _world = new();
    private readonly ImageKeySigner _stranger;

    public OracleAgreementTests(ITestOutputHelper output)
    {
        _output = output;
        _stranger = new ImageKeySigner(_world.Sigstore);
    }

    public void Dispose()
    {
        _stranger.Dispose();
        _world.Dispose();
    }

    [Fact]
    public async Task The_evaluator_and_the_oracle_agree_on_every_fixed_seed()
    {
        var disagreements = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int allowed = 0;
        for (int seed = 1; seed <= FixedSeeds; seed++)
        {
            (string? disagreement, bool wasAllowed, string outcome) = await RunAsync(seed);
            allowed += wasAllowed ? 1 : 0;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (disagreement is not null)
            {
                disagreements.Add(disagreement);
            }
        }

        _output.WriteLine($"{FixedSeeds} seeds, {allowed} allowed, {FixedSeeds - allowed} denied, {disagreements.Count} disagreements; outcomes: {string.Join(", ", outcomes.Select(o => o.Key + " " + o.Value))}");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(5)));

        // The generator must exercise both outcomes and most denial codes, or the agreement says little.
        Assert.InRange(allowed, FixedSeeds / 20, FixedSeeds - (FixedSeeds / 20));
        Assert.Superset(new SortedSet<string> { "SC5101", "SC5102", "SC5103", "SC5105", "SC5106", "SC5113", "SC4603" }, new SortedSet<string>(outcomes.Keys));
    }

    [Fact]
    public async Task The_evaluator_and_the_oracle_agree_on_random_seeds_when_asked()
    {
        // SUPPLYCHAIN_ORACLE_SEED=S replays one seed; SUPPLYCHAIN_ORACLE_SEEDS=N runs N random ones (one fixed extra by default).
        var seeds = new List<int>();
        if (int.TryParse(Environment.GetEnvironmentVariable("SUPPLYCHAIN_ORACLE_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int one))
        {
            seeds.Add(one);
        }

        if (int.TryParse(Environment.GetEnvironmentVariable("SUPPLYCHAIN_ORACLE_SEEDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int count))
        {
            seeds.AddRange(Enumerable.Range(0, count).Select(_ => Random.Shared.Next(FixedSeeds + 1, int.MaxValue / 8000)));
        }

        if (seeds.Count == 0)
        {
            // Nothing asked: one seed past the fixed list, so the replay path itself is exercised.
            seeds.Add(FixedSeeds + 1);
        }

        foreach (int seed in seeds)
        {
            (string? disagreement, _, _) = await RunAsync(seed);
            Assert.True(disagreement is null, disagreement);
        }

        _output.WriteLine($"{seeds.Count} extra seed(s) agreed");
    }

    private async Task<(string? Disagreement, bool Allowed, string Outcome)> RunAsync(int seed)
    {
        var registry = new InMemoryRegistry();
        var images = new LineageImages(registry);
        ImageGraph graph = ImageGraph.Generate(seed);
        ImageReference top = graph.Push(images, (key, image) => Signer(key).SignAsync(registry, image.ToString()).GetAwaiter().GetResult());
        GraphPolicy policy = GraphPolicy.Generate(seed, graph);
        string yaml = policy.ToYaml(key => Signer(key).PublicKeyPem);

        (bool expected, string? expectedCode) = Oracle.Decide(graph, policy);
        PolicyVerdict verdict = await new PolicyEvaluator(ImagePolicy.Parse(yaml), registry, new SupplyChain.Policy.Evidence.OciSignatureEvidenceSource(registry, _world.Trust)).EvaluateAsync(top);

        bool agree = verdict.Allowed == expected && (expected || verdict.Error?.Code == expectedCode);
        string outcome = expected ? "allowed" : expectedCode ?? "?";
        return agree
            ? (null, expected, outcome)
            : ($"seed {seed}: evaluator {(verdict.Allowed ? "allowed" : "denied " + verdict.Error?.Code)}, oracle {(expected ? "allowed" : "denied " + expectedCode)}\n{graph.Describe()}{policy.Describe()}\n  evaluator detail: {verdict.ErrorDetail}", expected, outcome);
    }

    private ImageKeySigner Signer(string key) => key switch
    {
        "ci" => _world.Ci,
        "pub" => _world.Publisher,
        _ => _stranger,
    };
}
