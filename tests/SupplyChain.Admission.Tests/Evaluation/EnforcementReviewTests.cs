using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Oci;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>
/// Issue 13 through the webhook's evaluator (in-process world, real signature verification): every platform of an
/// index the pod can run, pinned platforms, no request for what no rule covers, registry failures and deadlines below
/// the image as denials, and no remote text in the status.
/// </summary>
public sealed class EnforcementReviewTests : IDisposable
{
    private const string Multi = "registry.example/apps/multi:1.0";
    private readonly AdmissionWorld _world = new();

    public void Dispose() => _world.Dispose();

    private static AdmissionRequest PinnedPod(string image, string arch) => AdmissionWorld.Request(
        "Pod", "{\"spec\":{\"nodeSelector\":{\"kubernetes.io/arch\":\"" + arch + "\"},\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}");

    private static void AssertDenied(AdmissionOutcome outcome, string code)
    {
        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith(code + ": ", outcome.Response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_with_an_unsigned_platform_is_denied_unless_the_pod_is_pinned_to_the_signed_one()
    {
        var cache = new RecordingCache();
        AdmissionOutcome unpinned = await _world.ReviewAsync(AdmissionWorld.Pod(Multi), cache: cache);
        AdmissionOutcome pinnedToSigned = await _world.ReviewAsync(PinnedPod(Multi, "amd64"), cache: cache);
        AdmissionOutcome pinnedToUnsigned = await _world.ReviewAsync(PinnedPod(Multi, "arm64"), cache: cache);
        AdmissionOutcome deployment = await _world.ReviewAsync(AdmissionWorld.Request("Deployment", """
            {"spec":{"template":{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/arch","operator":"In","values":["amd64"]}]}]}}},"containers":[{"name":"c","image":"registry.example/apps/multi:1.0"}]}}}}
            """, group: "apps", resource: "deployments"));

        AssertDenied(unpinned, "SC5102");
        Assert.Contains("for platform linux/arm64", unpinned.Response.Status!.Message, StringComparison.Ordinal);
        Assert.True(pinnedToSigned.Response.Allowed, pinnedToSigned.Response.Status?.Message);
        AssertDenied(pinnedToUnsigned, "SC5102");
        Assert.True(deployment.Response.Allowed, deployment.Response.Status?.Message);
        Assert.Equal(["*", "os=*;arch=amd64", "os=*;arch=arm64"], cache.Keys.Select(k => k.Platform));
    }

    [Fact]
    public async Task An_image_no_rule_covers_is_denied_by_default_without_any_registry_request()
    {
        _world.Registry.Calls.Clear();

        AdmissionOutcome byTag = await _world.ReviewAsync(AdmissionWorld.Pod("unmatched.example/app:1.0", "tarpit.invalid:1/probe/me:latest"));

        AssertDenied(byTag, "SC5101");
        Assert.All(byTag.Images, i => Assert.Equal("SC5101", i.ErrorCode));
        Assert.Empty(_world.Registry.Calls);
    }

    [Fact]
    public async Task A_registry_failure_below_the_image_is_a_denial_even_under_onRegistryError_allow_and_above_it_is_allowed()
    {
        ImagePolicy policy = AdmissionWorld.GoldenPolicy(Path.Combine(AdmissionWorld.Folder, "lineage_registry_error_fail", "policy.yaml"));

        AdmissionOutcome below = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/lineage/on-flaky:1.0"), policy);
        AdmissionOutcome top = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/flaky/app:1.0"), policy);

        AssertDenied(below, "SC5112");
        Assert.False(below.Images[0].RegistryError);
        Assert.True(top.Response.Allowed);
        Assert.Equal(ImageDecision.AllowedOnRegistryError, top.Images[0].Decision);
    }

    [Fact]
    public async Task A_deadline_while_the_lineage_is_followed_is_a_denial_even_under_onRegistryError_allow()
    {
        _world.Inner.FailRead = null;
        _world.Registry.Hanging.Add("registry.example/flaky/os");
        ImagePolicy policy = AdmissionWorld.GoldenPolicy(Path.Combine(AdmissionWorld.Folder, "lineage_registry_error_fail", "policy.yaml"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/lineage/on-flaky:1.0"), policy, deadline: deadline.Token).WaitAsync(TimeSpan.FromSeconds(60));

        AssertDenied(outcome, "SC7110");
        Assert.Equal((ImageDecision.Denied, false), (outcome.Images[0].Decision, outcome.Images[0].RegistryError));
    }

    [Fact]
    public async Task What_a_registry_wrote_never_reaches_the_status_only_the_code_and_status_class()
    {
        const string Remote = "DISTINCTIVE-REMOTE-TEXT";
        _world.Inner.FailRead = r => r.Repository is "apps/web" or "base/os"
            ? OciErrors.RegistryStatus.ToException($"manifest {r}: HTTP 503 (UNKNOWN: {Remote})")
            : null;

        AdmissionOutcome top = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/apps/web:1.0"));
        AdmissionOutcome byDigest = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/apps/web@sha256:" + new string('a', 64)));
        AdmissionOutcome below = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/lineage/shop:1.0"));

        AssertDenied(top, "SC7102");
        AssertDenied(byDigest, "SC4003");
        AssertDenied(below, "SC5112");
        Assert.All([top, byDigest, below], o =>
        {
            Assert.DoesNotContain(Remote, o.Response.Status!.Message, StringComparison.Ordinal);
            Assert.Contains("HTTP 5xx", o.Response.Status.Message, StringComparison.Ordinal);
        });
    }
}
