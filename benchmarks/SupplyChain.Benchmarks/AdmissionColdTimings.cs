using System.Diagnostics;
using System.Globalization;
using System.Text;
using SupplyChain.Admission.Caching;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>admission-cold [runs]</c> (benchmarks/admission/run.sh): milliseconds for the webhook's review of a Pod whose image
/// has a 3-level signed lineage (app -> runtime -> base -> scratch, as the <c>lineage</c> mode pushes it, each level
/// signed keyless) in Debian's docker-registry on 127.0.0.1, with an EMPTY verdict cache each run (a fresh
/// <see cref="VerdictCache"/>): <see cref="AdmissionEvaluator.ReviewAsync"/> on the parsed AdmissionReview, in process
/// (no HTTP/TLS: that is the warm benchmark's floor). Registry client cold (a new one per run) and warm (one reused).
/// Two uncounted warm-ups each; median and p95.
/// </summary>
internal static class AdmissionColdTimings
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        using DistributionRegistry registry = DistributionRegistry.Start();
        RunAsync(registry, runs).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(DistributionRegistry registry, int runs)
    {
        using var sigstore = VirtualSigstore.Create();
        TrustedRoot trust = TrustedRoot.Parse(sigstore.TrustedRootBytes);
        ImageReference app = await LineageTimings.PushChainAsync(registry.Host, sigstore).ConfigureAwait(false);
        ImagePolicy policy = LineageTimings.ChainPolicy(registry.Host);
        using (var resolver = new OciRegistryClient())
        {
            app = app.WithDigest((await resolver.ResolveAsync(app).ConfigureAwait(false)).Digest);
        }

        AdmissionRequest request = AdmissionReviewJson.Read(Encoding.UTF8.GetBytes(AdmissionServe.PodReview($"{app.Registry}/{app.Repository}@{app.Digest}"))).Request!;

        List<double> cold = await MeasureAsync(runs, async () =>
        {
            using var client = new OciRegistryClient();
            await ReviewAsync(request, new AdmissionSnapshot(policy, trust, "bench", client)).ConfigureAwait(false);
        }).ConfigureAwait(false);

        using var shared = new OciRegistryClient();
        var warmSnapshot = new AdmissionSnapshot(policy, trust, "bench", shared);
        List<double> warm = await MeasureAsync(runs, () => ReviewAsync(request, warmSnapshot)).ConfigureAwait(false);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold review (empty verdict cache), Pod with a 3-level signed lineage, {runs} runs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registry client cold: median {Percentile(cold, 0.5):F1} ms, p95 {Percentile(cold, 0.95):F1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registry client warm: median {Percentile(warm, 0.5):F1} ms, p95 {Percentile(warm, 0.95):F1} ms"));
    }

    /// <summary>One review with a fresh (empty) verdict cache; throws unless allowed.</summary>
    private static async Task ReviewAsync(AdmissionRequest request, AdmissionSnapshot snapshot)
    {
        var evaluator = new AdmissionEvaluator(new AdmissionEvaluatorOptions { Cache = new VerdictCache() });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        AdmissionOutcome outcome = await evaluator.ReviewAsync(request, snapshot, deadline.Token).ConfigureAwait(false);
        if (!outcome.Response.Allowed || outcome.Images.Count != 1 || outcome.Images[0].Source != VerdictSource.Evaluated)
        {
            throw new InvalidOperationException("the benchmark review was not a fresh allow: " + outcome.Response.Status?.Message);
        }
    }

    private static async Task<List<double>> MeasureAsync(int runs, Func<Task> review)
    {
        var times = new List<double>();
        for (int i = -2; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await review().ConfigureAwait(false);
            if (i >= 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }
}
