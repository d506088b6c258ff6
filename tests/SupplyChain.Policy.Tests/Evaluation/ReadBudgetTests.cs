using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>
/// Issue 13 item 5: an evaluation's reads are charged to one <see cref="RegistryReadBudget"/> (the walk and the
/// signatures alike); exhausted, the image is denied with SC4020 at whatever depth it ran out, never with a registry
/// failure's code that a rule could admit (SC5112 is for registries that failed, not for the budget).
/// </summary>
public sealed class ReadBudgetTests : IDisposable
{
    private readonly SignedWorld _world = new();

    public void Dispose() => _world.Dispose();

    private string Policy => $$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: apps
            images: ["registry.test/app"]
            onRegistryError: allow
            authorities:
              - name: ci
                {{SignedWorld.KeyAuthority(_world.Ci)}}
            lineage: { required: true, trustedRoots: [scratch] }
          - name: platform
            images: ["registry.test/base"]
            authorities:
              - name: publisher
                {{SignedWorld.KeyAuthority(_world.Publisher)}}
        """;

    /// <summary>A signed base (claiming scratch) under a signed app; <paramref name="hostileOn"/> gets three garbage referrers just under 1 MiB first.</summary>
    private async Task<LineageImage> PushAsync(string hostileOn)
    {
        LineageImage baseImage = _world.Images.Push("registry.test/base", ["b1"], tag: "1", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        LineageImage app = _world.Images.Push("registry.test/app", ["b1", "a1"], tag: "1", annotations: baseImage.AsBaseClaim());
        LineageImage hostile = hostileOn == "base" ? baseImage : app;
        FetchedManifest manifest = (await _world.Registry.TryGetManifestAsync(hostile.Reference))!;
        await HostileAttachments.PushGarbageReferrersAsync(_world.Registry, hostile.Reference, manifest.Descriptor, 3, HostileAttachments.UnderSignatureLimit);
        _world.Sign(_world.Publisher, baseImage.Reference);
        _world.Sign(_world.Ci, app.Reference);
        return app;
    }

    [Fact]
    public async Task Garbage_referrers_are_skipped_within_the_default_budget_and_the_signed_lineage_is_allowed()
    {
        LineageImage app = await PushAsync("app");
        using RegistryReadBudget budget = EvaluationBudget.CreateDefault();

        PolicyVerdict verdict = await _world.EvaluateAsync(Policy, app.Reference, budget);

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        Assert.Equal(3, verdict.Levels[0].Rejected.Count);
        Assert.InRange(budget.BytesCharged, 3L * HostileAttachments.UnderSignatureLimit, EvaluationBudget.DefaultMaxTotalBytes);
    }

    /// <summary>The bytes an unbounded evaluation reads: one byte less and its last read goes over.</summary>
    private async Task<long> HonestBytesAsync(string policy, LineageImage image)
    {
        using var unbounded = new RegistryReadBudget(long.MaxValue, 4);
        PolicyVerdict verdict = await _world.EvaluateAsync(policy, image.Reference, unbounded);
        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        return unbounded.BytesCharged;
    }

    [Fact]
    public async Task A_budget_that_runs_out_on_the_images_own_signature_denies_it_with_SC4020_not_as_unsigned()
    {
        LineageImage app = await PushAsync("none");
        string signatureOnly = Policy.Replace("    lineage: { required: true, trustedRoots: [scratch] }\n", "", StringComparison.Ordinal);
        long needed = await HonestBytesAsync(signatureOnly, app);
        using var budget = new RegistryReadBudget(needed - 1, 4);

        PolicyVerdict verdict = await _world.EvaluateAsync(signatureOnly, app.Reference, budget);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC4020", verdict.Error?.Code);
        Assert.Equal("SC4020", Assert.Single(verdict.Levels).Error?.Code);
    }

    [Fact]
    public async Task A_budget_that_runs_out_below_the_image_keeps_its_code_SC4020_never_the_registry_failure_SC5112()
    {
        LineageImage app = await PushAsync("none");
        long needed = await HonestBytesAsync(Policy, app);
        using var budget = new RegistryReadBudget(needed - 1, 4);

        PolicyVerdict verdict = await _world.EvaluateAsync(Policy, app.Reference, budget);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC4020", verdict.Error?.Code);
        Assert.Equal(PolicyDecision.Verified, verdict.Levels[0].Decision);
        Assert.Equal("SC4020", verdict.Levels[1].Error?.Code);
    }

    [Fact]
    public async Task A_budget_exhausted_before_a_manifest_is_read_denies_at_the_top_with_SC4020()
    {
        LineageImage app = await PushAsync("none");
        using var budget = new RegistryReadBudget(16, 1);

        PolicyVerdict verdict = await _world.EvaluateAsync(Policy, app.Reference, budget);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC4020", verdict.Error?.Code);
    }
}
