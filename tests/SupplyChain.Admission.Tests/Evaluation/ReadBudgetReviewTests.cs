using SupplyChain.Admission.Caching;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>
/// Issue 13 item 5 in the webhook's evaluator: one read budget per AdmissionReview, over all its images and their
/// lineages. Exhausted, the images still being read are denied with SC4020, never admitted as a registry error (also
/// under <c>onRegistryError: allow</c>), and such a verdict is never cached (it depends on the other images of the review).
/// </summary>
public sealed class ReadBudgetReviewTests : IDisposable
{
    private readonly AdmissionWorld _world = new();

    public void Dispose() => _world.Dispose();

    private static ImagePolicy Lenient => AdmissionWorld.Policy("""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: lineage
            images: ["registry.example/lineage/**"]
            onRegistryError: allow
            authorities:
              - name: test-signer
                key: { path: keys/test-signer.pub.pem }
            lineage: { required: true, maxDepth: 4 }
          - name: lenient
            images: ["registry.example/**"]
            onRegistryError: allow
            authorities:
              - name: test-signer
                key: { path: keys/test-signer.pub.pem }
        """);

    private Task<AdmissionOutcome> ReviewAsync(long budget, IVerdictCache? cache, params string[] images) =>
        new AdmissionEvaluator(new AdmissionEvaluatorOptions { ReadBudgetBytes = budget, MaxConcurrentDownloads = 2, Cache = cache })
            .ReviewAsync(AdmissionWorld.Pod(images), _world.Snapshot(Lenient), CancellationToken.None);

    [Fact]
    public async Task A_review_whose_budget_runs_out_is_denied_with_SC4020_under_onRegistryError_allow_and_nothing_is_cached()
    {
        var cache = new VerdictCache();
        string[] images = ["registry.example/lineage/shop:1.0", "registry.example/apps/web:1.0", "registry.example/apps/api:2.0"];

        AdmissionOutcome starved = await ReviewAsync(2048, cache, images);

        Assert.False(starved.Response.Allowed);
        Assert.StartsWith("SC4020: ", starved.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Contains(starved.Images, i => i.ErrorCode == "SC4020");
        Assert.All(starved.Images, i => Assert.Equal(ImageDecision.Denied, i.Decision));
        Assert.Equal(0, cache.Count);

        AdmissionOutcome funded = await ReviewAsync(SupplyChain.Policy.Evaluation.EvaluationBudget.DefaultMaxTotalBytes, cache, images);
        Assert.True(funded.Response.Allowed, funded.Response.Status?.Message);
    }

    [Fact]
    public void A_budget_or_download_count_that_is_not_positive_is_refused_with_SC7208()
    {
        var ex = Assert.IsAssignableFrom<Core.Errors.SupplyChainException>(Record.Exception(() => new AdmissionEvaluator(new AdmissionEvaluatorOptions { ReadBudgetBytes = 0 })));
        Assert.Equal("SC7208", ex.Code);
        ex = Assert.IsAssignableFrom<Core.Errors.SupplyChainException>(Record.Exception(() => new AdmissionEvaluator(new AdmissionEvaluatorOptions { MaxConcurrentDownloads = 0 })));
        Assert.Equal("SC7208", ex.Code);
    }
}
