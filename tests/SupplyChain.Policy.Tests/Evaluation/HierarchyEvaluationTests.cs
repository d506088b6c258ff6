using System.Text.Json;
using SupplyChain.Oci.Lineage;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>The scratch -> base (publisher) -> runtime -> app (CI) hierarchy evaluated under one policy: every ancestor against the rule of its own name.</summary>
public class HierarchyEvaluationTests : HierarchyFixture
{
    [Fact]
    public async Task All_good_every_level_is_verified_against_the_rule_of_its_own_name()
    {
        PolicyVerdict verdict = await EvaluateAsync(PolicyText());

        Assert.True(verdict.Allowed);
        Assert.Null(verdict.Error);
        Assert.Equal(LineageEnd.Scratch, verdict.Lineage!.End);
        Assert.Equal([App.Digest, Runtime.Digest, Base.Digest], verdict.Levels.Select(l => l.Level.Digest));
        Assert.Equal(["apps", "platform", "platform"], verdict.Levels.Select(l => l.RuleName));
        Assert.All(verdict.Levels, l => Assert.Equal(PolicyDecision.Verified, l.Decision));
        Assert.Equal([1, 1, 1], verdict.Levels.Select(l => l.Level.LayersAdded));
        Assert.Equal("ci", Assert.Single(verdict.Levels[0].Signers).AuthorityName);
        Assert.Equal($"{PublisherSubject} ({PublisherIssuer})", Assert.Single(verdict.Levels[2].Signers).Identity);
    }

    [Fact]
    public async Task An_unsigned_base_denies_the_app()
    {
        LineageImage unsignedBase = Images.Push("registry.test/base", ["b1"], tag: "2", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = "scratch" }, labels: new Dictionary<string, string> { ["v"] = "2" });
        LineageImage runtime = Images.Push("registry.test/runtime", ["b1", "r1"], tag: "2", annotations: unsignedBase.AsBaseClaim());
        LineageImage app = Images.Push("registry.test/app", ["b1", "r1", "a1"], tag: "2", annotations: runtime.AsBaseClaim());
        Evidence.Sign(runtime.Digest, Publisher);
        Evidence.Sign(app.Digest, Ci);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), app);

        AssertDenied(verdict, "SC5102", 2);
        Assert.True(verdict.Levels[0].Allowed);
        Assert.True(verdict.Levels[1].Allowed);
    }

    [Fact]
    public async Task A_base_signed_by_the_wrong_identity_denies_the_app()
    {
        LineageImage wrongBase = Images.Push("registry.test/base", ["b1"], tag: "3", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = "scratch" }, labels: new Dictionary<string, string> { ["v"] = "3" });
        LineageImage app = Images.Push("registry.test/app", ["b1", "a1"], tag: "3", annotations: wrongBase.AsBaseClaim());
        Evidence.Sign(wrongBase.Digest, FakeSignature.Keyless("attacker@evil.example", PublisherIssuer));
        Evidence.Sign(wrongBase.Digest, FakeSignature.Keyless(PublisherSubject, "https://evil.example"));
        Evidence.Sign(app.Digest, Ci);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), app);

        AssertDenied(verdict, "SC5103", 1);
        Assert.Empty(verdict.Levels[1].Signers);
    }

    [Fact]
    public async Task A_forged_base_annotation_pointing_at_an_unrelated_signed_image_is_caught_by_the_proof()
    {
        LineageImage evil = Images.Push("registry.test/app", ["evil-layer", "a1"], tag: "forged", annotations: Runtime.AsBaseClaim());
        Evidence.Sign(evil.Digest, Ci);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), evil);

        AssertDenied(verdict, "SC4603", 0);
        Assert.Single(verdict.Levels);
        Assert.Equal(LineageEnd.Failed, verdict.Lineage!.End);
    }

    [Fact]
    public async Task A_lineage_deeper_than_the_rules_max_depth_is_denied()
    {
        PolicyVerdict verdict = await EvaluateAsync(PolicyText("    lineage: { required: true, maxDepth: 1 }\n"));

        AssertDenied(verdict, "SC4606", 1);
        Assert.Equal(2, verdict.Levels.Count);
    }

    [Fact]
    public async Task A_deleted_base_is_denied_with_a_clear_code()
    {
        Registry.DeleteManifest(Base.Reference, Base.Digest);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText());

        AssertDenied(verdict, "SC4604", 1);
    }

    [Fact]
    public async Task An_app_signed_by_the_publisher_instead_of_ci_is_denied()
    {
        LineageImage app = Images.Push("registry.test/app", ["b1", "r1", "a2"], tag: "4", annotations: Runtime.AsBaseClaim());
        Evidence.Sign(app.Digest, Publisher);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), app);

        AssertDenied(verdict, "SC5103", 0);
    }

    [Fact]
    public async Task A_claim_to_a_repository_no_rule_covers_is_denied_without_a_request_even_when_the_default_is_allow()
    {
        string onlyApps = PolicyText().Replace("images: [\"registry.test/base\", \"registry.test/runtime\"]", "images: [\"registry.test/base\"]", StringComparison.Ordinal);
        var requested = new List<string>();
        Registry.FailRead = r => { requested.Add(r.Repository); return null; };

        PolicyVerdict denied = await EvaluateAsync(onlyApps);
        PolicyVerdict defaultAllow = await EvaluateAsync(PolicyText(header: "defaultAction: allow").Replace("images: [\"registry.test/base\", \"registry.test/runtime\"]", "images: [\"registry.test/base\"]", StringComparison.Ordinal));

        AssertDenied(denied, "SC5113", 0);
        AssertDenied(defaultAllow, "SC5113", 0);
        Assert.Single(denied.Levels);
        Assert.DoesNotContain("runtime", requested);
    }

    [Fact]
    public async Task An_image_no_rule_matches_is_denied_unless_the_default_is_allow()
    {
        LineageImage other = Images.Push("registry.test/other", ["o1"], tag: "1");
        int readsBefore = Registry.Reads;

        PolicyVerdict denied = await EvaluateAsync(PolicyText(), other);
        PolicyVerdict allowed = await EvaluateAsync(PolicyText(header: "defaultAction: allow"), other);

        Assert.False(denied.Allowed);
        Assert.Equal("SC5101", denied.Error?.Code);
        Assert.Empty(denied.Levels);
        Assert.True(allowed.Allowed);
        Assert.Equal(PolicyDecision.DefaultAllowed, allowed.Decision);
        Assert.Empty(Evidence.Asked);
        Assert.Equal(0, Registry.Reads - readsBefore);
    }

    [Fact]
    public async Task A_top_image_without_a_claim_is_allowed_or_denied_by_the_policy()
    {
        LineageImage noClaim = Images.Push("registry.test/app", ["x1"], tag: "noclaim");
        Evidence.Sign(noClaim.Digest, Ci);

        PolicyVerdict denied = await EvaluateAsync(PolicyText(), noClaim);
        PolicyVerdict allowed = await EvaluateAsync(PolicyText("    lineage: { required: true, allowMissingClaim: true }\n"), noClaim);

        AssertDenied(denied, "SC5105", 0);
        Assert.True(allowed.Allowed);
        Assert.Equal(LineageEnd.NoClaim, allowed.Lineage!.End);
    }

    [Fact]
    public async Task A_lineage_ending_at_scratch_is_denied_when_scratch_is_not_a_trusted_root()
    {
        PolicyVerdict verdict = await EvaluateAsync(PolicyText("    lineage: { required: true, trustedRoots: [\"registry.test/nothing\"] }\n"));

        AssertDenied(verdict, "SC5106", 2);
    }

    [Fact]
    public async Task A_trusted_root_named_by_glob_ends_the_walk_and_is_still_checked_by_its_own_rule()
    {
        PolicyVerdict verdict = await EvaluateAsync(PolicyText("    lineage: { required: true, trustedRoots: [\"registry.test/runtime\"] }\n"));

        Assert.True(verdict.Allowed);
        Assert.Equal(LineageEnd.TrustedRoot, verdict.Lineage!.End);
        Assert.Equal(2, verdict.Levels.Count);
        Assert.Equal(PolicyDecision.Verified, verdict.Levels[1].Decision);
    }

    [Fact]
    public async Task A_trusted_root_named_by_digest_that_no_rule_covers_is_accepted_as_the_root()
    {
        LineageImage vendor = Images.Push("vendor.test/os", ["v1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["v1", "a1"], tag: "vendor", annotations: vendor.AsBaseClaim());
        Evidence.Sign(app.Digest, Ci);

        PolicyVerdict trusted = await EvaluateAsync(PolicyText($"    lineage: {{ required: true, trustedRoots: [\"{vendor.Digest}\"] }}\n"), app);
        PolicyVerdict untrusted = await EvaluateAsync(PolicyText(), app);

        Assert.True(trusted.Allowed);
        Assert.Equal(PolicyDecision.TrustedRoot, trusted.Levels[1].Decision);
        AssertDenied(untrusted, "SC5113", 0);
        Assert.Single(untrusted.Levels);
    }

    [Fact]
    public async Task Without_a_lineage_requirement_only_the_image_itself_is_checked()
    {
        LineageImage app = Images.Push("registry.test/app", ["evil", "a1"], tag: "nolineage", annotations: Runtime.AsBaseClaim());
        Evidence.Sign(app.Digest, Ci);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(appRule: ""), app);

        Assert.True(verdict.Allowed);
        Assert.Equal(LineageEnd.NotWalked, verdict.Lineage!.End);
        Assert.Single(verdict.Levels);
    }

    [Fact]
    public async Task The_verdict_serialises_to_json_with_its_media_type()
    {
        Registry.DeleteManifest(Base.Reference, Base.Digest);
        PolicyVerdict verdict = await EvaluateAsync(PolicyText());

        using JsonDocument json = JsonDocument.Parse(verdict.ToJson());
        JsonElement root = json.RootElement;

        Assert.Equal(PolicyVerdict.MediaType, root.GetProperty("mediaType").GetString());
        Assert.False(root.GetProperty("allowed").GetBoolean());
        Assert.Equal("SC4604", root.GetProperty("error").GetString());
        Assert.Equal("Failed", root.GetProperty("lineageEnd").GetString());
        JsonElement top = root.GetProperty("levels")[0];
        Assert.Equal(App.Digest, top.GetProperty("digest").GetString());
        Assert.Equal("apps", top.GetProperty("rule").GetString());
        Assert.Equal("Verified", top.GetProperty("decision").GetString());
        Assert.Equal(1, top.GetProperty("layersAdded").GetInt32());
        Assert.Equal("ci", top.GetProperty("signers")[0].GetProperty("authority").GetString());
        Assert.Equal($"{CiSubject} ({CiIssuer})", top.GetProperty("signers")[0].GetProperty("identity").GetString());
        Assert.Equal("SC4604", root.GetProperty("levels")[1].GetProperty("error").GetString());
    }
}
