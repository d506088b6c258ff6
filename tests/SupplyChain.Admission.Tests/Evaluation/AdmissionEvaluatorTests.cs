using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Oci;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>
/// AdmissionEvaluator.ReviewAsync over the in-process world (real PolicyEvaluator, real signature verification of
/// bundles signed by the test key): tags, modes, namespaces, registry errors, integrity, deadline, dedupe, cache keys,
/// response shape. Every denial asserts its code.
/// </summary>
public sealed class AdmissionEvaluatorTests : IDisposable
{
    private const string Web = "registry.example/apps/web:1.0";
    private const string Unsigned = "registry.example/apps/unsigned:1.0";
    private readonly AdmissionWorld _world = new();

    public void Dispose() => _world.Dispose();

    private static string Policy(string header = "", string rules = "") => $$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        {{header}}
        rules:
        {{rules}}
          - name: apps
            images: ["registry.example/**"]
            authorities:
              - name: test-signer
                key: { path: keys/test-signer.pub.pem }
        """;

    private static void AssertDenied(AdmissionOutcome outcome, string code)
    {
        Assert.False(outcome.Response.Allowed);
        AdmissionStatus status = Assert.IsType<AdmissionStatus>(outcome.Response.Status);
        Assert.Equal(403, status.Code);
        Assert.Equal("Forbidden", status.Reason);
        Assert.StartsWith(code + ": ", status.Message, StringComparison.Ordinal);
        Assert.True(status.Message.Length <= 1024);
    }

    [Fact]
    public async Task A_signed_image_by_tag_is_resolved_and_allowed_with_its_digest()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Web));

        Assert.True(outcome.Response.Allowed);
        Assert.Equal("uid-1", outcome.Response.Uid);
        Assert.Null(outcome.Response.Status);
        Assert.Null(outcome.Response.Warnings);
        ImageOutcome image = Assert.Single(outcome.Images);
        Assert.Equal(new ImageOutcome(Web, "spec.containers[0].image", _world.Digest("apps/web", "1.0"), ImageDecision.Allowed, PolicyMode.Enforce, "apps", null, false, VerdictSource.Evaluated), image);
        Assert.Contains(nameof(RecordingRegistry.ResolveAsync), _world.Registry.Calls);
    }

    [Fact]
    public async Task A_digest_reference_is_not_resolved()
    {
        string digest = _world.Digest("apps/web", "1.0");
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/apps/web@" + digest));

        Assert.True(outcome.Response.Allowed);
        Assert.Equal(digest, Assert.Single(outcome.Images).Digest);
        Assert.DoesNotContain(nameof(RecordingRegistry.ResolveAsync), _world.Registry.Calls);
    }

    [Fact]
    public async Task An_unsigned_image_is_denied_and_the_message_names_the_image_its_digest_and_level()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Unsigned));

        AssertDenied(outcome, "SC5102");
        string digest = _world.Digest("apps/unsigned", "1.0");
        Assert.Contains($"image {Unsigned} at spec.containers[0].image (registry.example/apps/unsigned@{digest})", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Contains($"lineage level 0 (registry.example/apps/unsigned@{digest}, rule apps)", outcome.Response.Status.Message, StringComparison.Ordinal);
        Assert.Equal(("SC5102", ImageDecision.Denied, false), (outcome.Images[0].ErrorCode, outcome.Images[0].Decision, outcome.Images[0].RegistryError));
    }

    [Fact]
    public async Task A_broken_lineage_names_the_failed_level_and_its_rule()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/lineage/shop-on-unsigned:1.0"));

        AssertDenied(outcome, "SC5102");
        Assert.Contains($"lineage level 1 (registry.example/base/os-unsigned@{_world.Digest("base/os-unsigned", "1")}, rule base)", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal("lineage-apps", outcome.Images[0].Rule);
    }

    [Fact]
    public async Task A_proved_lineage_is_allowed_and_a_wrong_signer_is_SC5103()
    {
        Assert.True((await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/lineage/shop:1.0"))).Response.Allowed);
        AssertDenied(await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/apps/wrong:1.0")), "SC5103");
    }

    [Fact]
    public async Task DenyTags_denies_a_tag_without_asking_the_registry_and_allows_the_digest()
    {
        ImagePolicy policy = AdmissionWorld.Policy(Policy(header: "denyTags: true"));
        string digest = _world.Digest("apps/web", "1.0");
        _world.Registry.Calls.Clear();

        AdmissionOutcome tagged = await _world.ReviewAsync(AdmissionWorld.Pod(Web), policy);

        AssertDenied(tagged, "SC7101");
        Assert.Empty(_world.Registry.Calls);
        Assert.Null(tagged.Images[0].Digest);
        Assert.Null(tagged.Images[0].Source);
        Assert.True((await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/apps/web:1.0@" + digest), policy)).Response.Allowed);
    }

    [Fact]
    public async Task An_unknown_tag_is_denied_with_the_registry_code_and_is_not_a_registry_error()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/apps/web:9.9"), AdmissionWorld.Policy(Policy(rules: """
              - name: lenient
                images: ["registry.example/apps/web"]
                onRegistryError: allow
                authorities:
                  - name: test-signer
                    key: { path: keys/test-signer.pub.pem }
            """)));

        AssertDenied(outcome, "SC4013");
        Assert.False(outcome.Images[0].RegistryError);
    }

    [Fact]
    public async Task Warn_mode_admits_with_a_bounded_warning()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/legacy/tool:1.0"));

        Assert.True(outcome.Response.Allowed);
        Assert.Null(outcome.Response.Status);
        string warning = Assert.Single(outcome.Response.Warnings!);
        Assert.StartsWith("SC5102: registry.example/legacy/tool:1.0", warning, StringComparison.Ordinal);
        Assert.True(warning.Length <= 120);
        Assert.Equal((ImageDecision.Warned, PolicyMode.Warn, "SC5102"), (outcome.Images[0].Decision, outcome.Images[0].Mode, outcome.Images[0].ErrorCode));
        Assert.Null(outcome.Response.AuditAnnotations);
    }

    [Fact]
    public async Task Audit_mode_admits_without_warning_but_with_an_audit_annotation()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/audit/tool:1.0"));

        Assert.True(outcome.Response.Allowed);
        Assert.Null(outcome.Response.Warnings);
        string annotation = Assert.Single(outcome.Response.AuditAnnotations!).Value;
        Assert.StartsWith("SC5102 registry.example/audit/tool:1.0 (sha256:", annotation, StringComparison.Ordinal);
        Assert.Equal(ImageDecision.Audited, outcome.Images[0].Decision);
    }

    [Fact]
    public async Task The_policy_mode_applies_when_the_rule_names_none()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Unsigned), AdmissionWorld.Policy(Policy(header: "mode: warn")));

        Assert.True(outcome.Response.Allowed);
        Assert.Equal(ImageDecision.Warned, outcome.Images[0].Decision);
    }

    [Fact]
    public async Task Warnings_are_at_most_ten_and_each_at_most_120_characters()
    {
        string[] images = [.. Enumerable.Range(0, 13).Select(i => $"registry.example/legacy/a-very-long-repository-name-to-make-the-warning-longer-than-allowed-{i}:1.0")];
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(images));

        Assert.True(outcome.Response.Allowed);
        Assert.Equal(10, outcome.Response.Warnings!.Count);
        Assert.All(outcome.Response.Warnings, w => Assert.True(w.Length <= 120, w));
        Assert.EndsWith("...", outcome.Response.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("4 more image warnings not shown", outcome.Response.Warnings[9]);
        Assert.All(outcome.Images, i => Assert.Equal(("SC4013", ImageDecision.Warned), (i.ErrorCode, i.Decision)));
    }

    [Fact]
    public async Task Namespace_scoped_rules_apply_only_in_their_namespaces_and_key_the_cache()
    {
        ImagePolicy policy = AdmissionWorld.Policy("""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: team-a
                images: ["registry.example/**"]
                namespaces: ["team-a"]
                mode: warn
                authorities:
                  - name: test-signer
                    key: { path: keys/test-signer.pub.pem }
            """);
        AdmissionRequest inTeam = AdmissionWorld.Pod(Unsigned);
        inTeam.Namespace = "team-a";
        var cache = new RecordingCache();

        AdmissionOutcome warned = await _world.ReviewAsync(inTeam, policy, cache);
        AdmissionOutcome elsewhere = await _world.ReviewAsync(AdmissionWorld.Pod(Unsigned), policy, cache);

        Assert.Equal(("team-a", ImageDecision.Warned), (warned.Images[0].Rule, warned.Images[0].Decision));
        AssertDenied(elsewhere, "SC5101");

        // Outside team-a no rule applies: denied by the default action without an evaluation (nothing requested, nothing cached).
        Assert.Equal(["team-a"], cache.Keys.Select(k => k.Namespace));
    }

    [Fact]
    public async Task The_cache_key_is_the_digest_platforms_policy_and_trust_versions_without_namespace_when_no_rule_is_scoped()
    {
        var cache = new RecordingCache();
        ImagePolicy policy = AdmissionWorld.GoldenPolicy();

        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Web), policy, cache);

        Assert.True(outcome.Response.Allowed);
        Assert.Equal(VerdictSource.Cached, outcome.Images[0].Source);
        Assert.Equal(new VerdictKey("registry.example/apps/web@" + _world.Digest("apps/web", "1.0"), "*", null, policy.Fingerprint, "test-root"), Assert.Single(cache.Keys));
    }

    [Fact]
    public async Task A_registry_failure_denies_by_default_as_a_registry_error()
    {
        _world.Inner.FailRead = _ => OciErrors.RegistryUnreachable.ToException("connection refused");

        AdmissionOutcome byTag = await _world.ReviewAsync(AdmissionWorld.Pod(Web));
        AdmissionOutcome byDigest = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/apps/web@sha256:" + new string('a', 64)));

        AssertDenied(byTag, "SC7102");
        Assert.True(byTag.Images[0].RegistryError);
        AssertDenied(byDigest, "SC4002");
        Assert.True(byDigest.Images[0].RegistryError);
    }

    [Fact]
    public async Task OnRegistryError_allow_admits_with_a_warning()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/flaky/app:1.0"));

        Assert.True(outcome.Response.Allowed);
        Assert.Equal((ImageDecision.AllowedOnRegistryError, true, "SC7102", "flaky"), (outcome.Images[0].Decision, outcome.Images[0].RegistryError, outcome.Images[0].ErrorCode, outcome.Images[0].Rule));
        Assert.StartsWith("SC7102: registry.example/flaky/app:1.0: registry error", Assert.Single(outcome.Response.Warnings!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_not_matching_its_digest_denies_even_under_onRegistryError_allow()
    {
        _world.Inner.FailRead = null;
        string digest = _world.Digest("flaky/app", "1.0");
        _world.Inner.Corrupt(digest, "{\"schemaVersion\":2}"u8.ToArray());

        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/flaky/app@" + digest));

        Assert.False(outcome.Response.Allowed);
        Assert.False(outcome.Images[0].RegistryError);
        Assert.Equal(ImageDecision.Denied, outcome.Images[0].Decision);
        // The fake registry serves the lie as is, so the lineage walker's own digest check catches it (SC4609; over
        // HTTP the registry client's catches it first, SC4006): both are integrity failures, never registry errors.
        AssertDenied(outcome, "SC4609");
        Assert.Equal(Core.Errors.ErrorCategory.VerificationFailed, OciErrors.LineageDigestMismatch.Category);
    }

    [Fact]
    public async Task A_registry_that_never_answers_is_denied_with_the_deadline_code_when_the_deadline_fires()
    {
        _world.Registry.Hanging.Add("registry.example/apps/web");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // The evaluator must return by itself; the 60 s bound only keeps a broken build from hanging the run.
        // The second image is decided at once (malformed): a finished decision keeps its own code.
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Web, "not a reference"), deadline: deadline.Token).WaitAsync(TimeSpan.FromSeconds(60));

        AssertDenied(outcome, "SC7103");
        Assert.Equal(("SC7103", true, ImageDecision.Denied), (outcome.Images[0].ErrorCode, outcome.Images[0].RegistryError, outcome.Images[0].Decision));
        Assert.Equal(("SC7014", false), (outcome.Images[1].ErrorCode, outcome.Images[1].RegistryError));
        Assert.Contains("1 more image(s) denied: SC7014 not a reference", outcome.Response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deadline_under_onRegistryError_allow_admits_with_a_warning()
    {
        _world.Inner.FailRead = null;
        _world.Registry.Hanging.Add("registry.example/flaky");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/flaky/app:1.0"), deadline: deadline.Token).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(outcome.Response.Allowed);
        Assert.Equal(("SC7103", ImageDecision.AllowedOnRegistryError), (outcome.Images[0].ErrorCode, outcome.Images[0].Decision));
    }

    [Fact]
    public async Task A_deadline_that_already_fired_denies_every_image_without_throwing()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Web, Unsigned), deadline: new CancellationToken(canceled: true));

        AssertDenied(outcome, "SC7103");
        Assert.All(outcome.Images, i => Assert.Equal("SC7103", i.ErrorCode));
    }

    [Fact]
    public async Task Identical_references_are_evaluated_once_and_reported_at_every_location()
    {
        var cache = new RecordingCache { Source = VerdictSource.Evaluated };
        AdmissionRequest request = AdmissionWorld.Request(
            "Deployment",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"" + Web + "\"},{\"image\":\"" + Web + "\"}],\"initContainers\":[{\"image\":\"" + Web + "\"}]}}}}",
            group: "apps",
            resource: "deployments");

        AdmissionOutcome outcome = await _world.ReviewAsync(request, cache: cache);

        Assert.True(outcome.Response.Allowed);
        Assert.Single(cache.Keys);
        Assert.Single(_world.Registry.Calls, c => c == nameof(RecordingRegistry.ResolveAsync));
        Assert.Equal(["spec.template.spec.containers[0].image", "spec.template.spec.containers[1].image", "spec.template.spec.initContainers[0].image"], outcome.Images.Select(i => i.Location));
    }

    [Fact]
    public async Task One_bad_init_container_denies_the_workload_and_the_others_are_still_reported()
    {
        AdmissionRequest request = AdmissionWorld.Request("Pod", $$$"""
            {"spec":{"containers":[{"image":"{{{Web}}}"},{"image":"registry.example/apps/api:2.0"}],"initContainers":[{"image":"{{{Unsigned}}}"}]}}
            """);

        AdmissionOutcome outcome = await _world.ReviewAsync(request);

        AssertDenied(outcome, "SC5102");
        Assert.StartsWith($"SC5102: image {Unsigned} at spec.initContainers[0].image (", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal([ImageDecision.Allowed, ImageDecision.Allowed, ImageDecision.Denied], outcome.Images.Select(i => i.Decision));
        Assert.Equal("spec.initContainers[0].image", outcome.Images[2].Location);
    }

    [Fact]
    public async Task Several_denials_are_summarised_in_one_bounded_message()
    {
        string[] images = [.. Enumerable.Range(0, 60).Select(i => $"registry.example/apps/missing-image-with-a-long-name-{i}:1.0")];
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(images));

        AssertDenied(outcome, "SC4013");
        Assert.Contains("59 more image(s) denied", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.EndsWith("...", outcome.Response.Status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("CONNECT")]
    public async Task Delete_and_connect_are_allowed_without_evaluation_whatever_the_kind(string operation)
    {
        AdmissionRequest request = AdmissionWorld.Request("Secret", "{}", operation: operation);
        request.NewObject = null;

        AdmissionOutcome outcome = await _world.ReviewAsync(request);

        Assert.True(outcome.Response.Allowed);
        Assert.Empty(outcome.Images);
        Assert.Empty(_world.Registry.Calls);
    }

    [Fact]
    public async Task An_unknown_kind_on_create_is_denied_SC7010()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Request("Service", "{\"spec\":{}}"));

        AssertDenied(outcome, "SC7010");
        Assert.Empty(outcome.Images);
    }

    [Fact]
    public async Task A_container_without_image_is_denied_SC7012()
    {
        AssertDenied(await _world.ReviewAsync(AdmissionWorld.Request("Pod", "{\"spec\":{\"containers\":[{\"name\":\"x\"}]}}")), "SC7012");
    }

    [Fact]
    public async Task A_malformed_reference_is_denied_SC7014_even_in_warn_mode()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod("registry.example/Apps/UPPER:1.0", "a b"), AdmissionWorld.Policy(Policy(header: "mode: warn")));

        AssertDenied(outcome, "SC7014");
        Assert.All(outcome.Images, i => Assert.Equal(("SC7014", ImageDecision.Denied), (i.ErrorCode, i.Decision)));
    }

    [Fact]
    public async Task A_cancellation_that_is_not_the_deadline_is_a_registry_error_not_an_exception()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Web), cache: new RecordingCache { Throw = new TaskCanceledException("HttpClient.Timeout") });

        AssertDenied(outcome, "SC7104");
        Assert.True(outcome.Images[0].RegistryError);
    }

    [Fact]
    public async Task An_unexpected_failure_is_denied_SC7104()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(Web), cache: new RecordingCache { Throw = new InvalidOperationException("bug") });

        AssertDenied(outcome, "SC7104");
        Assert.False(outcome.Images[0].RegistryError);
    }

    [Fact]
    public async Task DryRun_is_evaluated_identically_and_only_reads_the_registry()
    {
        AdmissionRequest dry = AdmissionWorld.Pod(Web, Unsigned, "registry.example/lineage/shop:1.0");
        dry.DryRun = true;
        AdmissionRequest wet = AdmissionWorld.Pod(Web, Unsigned, "registry.example/lineage/shop:1.0");

        AdmissionOutcome dryOutcome = await _world.ReviewAsync(dry);
        AdmissionOutcome wetOutcome = await _world.ReviewAsync(wet);

        Assert.Equal(wetOutcome.Images, dryOutcome.Images);
        Assert.Equal(wetOutcome.Response.Status!.Message, dryOutcome.Response.Status!.Message);
        Assert.NotEmpty(_world.Registry.Calls);
        Assert.Empty(_world.Registry.WriteCalls);
    }
}
