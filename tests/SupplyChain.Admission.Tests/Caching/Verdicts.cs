using SupplyChain.Admission.Tests.Hosting;
using SupplyChain.Core.Errors;
using SupplyChain.Oci;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Admission.Tests.Caching;

/// <summary>Real verdicts from the policy evaluator over the in-memory registry: allowed, denied, and a registry failure.</summary>
internal static class Verdicts
{
    private static readonly Lazy<Task<(PolicyVerdict Allowed, PolicyVerdict Denied, PolicyVerdict RegistryFailure)>> All = new(CreateAsync);

    public static async Task<PolicyVerdict> AllowedAsync() => (await All.Value).Allowed;

    public static async Task<PolicyVerdict> DeniedAsync() => (await All.Value).Denied;

    public static async Task<PolicyVerdict> RegistryFailureAsync() => (await All.Value).RegistryFailure;

    private static async Task<(PolicyVerdict, PolicyVerdict, PolicyVerdict)> CreateAsync()
    {
        var registry = new InMemoryRegistry();
        PushedImage image = await TestImages.PushImageAsync(registry, ImageReference.Parse("registry.test/apps/web"), "1");
        var trust = Core.Trust.TrustedRoot.Parse(WebhookHarness.TrustedRootBytes);
        PolicyVerdict allowed = await new PolicyEvaluator(ImagePolicy.Parse(WebhookHarness.AllowAll), registry, new OciSignatureEvidenceSource(registry, trust)).EvaluateAsync(image.Reference);
        PolicyVerdict denied = await new PolicyEvaluator(ImagePolicy.Parse(WebhookHarness.DenyAll), registry, new OciSignatureEvidenceSource(registry, trust)).EvaluateAsync(image.Reference);
        registry.FailRead = _ => OciErrors.RegistryUnreachable.ToException("test");

        // A rule covers the image, so the evaluation reads the registry (and fails there).
        PolicyVerdict failed = await new PolicyEvaluator(ImagePolicy.Parse(WebhookHarness.SignedByTestKey), registry, new OciSignatureEvidenceSource(registry, trust)).EvaluateAsync(image.Reference);
        Assert.True(allowed.Allowed);
        Assert.False(denied.Allowed);
        Assert.NotEqual(ErrorCategory.ServiceFailure, denied.Error!.Category);
        Assert.False(failed.Allowed);
        Assert.Equal(ErrorCategory.ServiceFailure, failed.Error!.Category);
        return (allowed, denied, failed);
    }
}
