using System.Text.Json.Nodes;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>
/// Issue 13, item 1: what the workload names is what is judged. Every platform an index lists (that the workload can
/// run) must satisfy the rule on its own; a signature on one platform manifest never vouches for the index or another
/// platform; a signature on the index covers its platforms' signatures but not their lineage.
/// </summary>
public sealed class IndexPlatformTests : HierarchyFixture
{
    private static readonly OciPlatform Amd64 = new("linux", "amd64");
    private static readonly OciPlatform Arm64 = new("linux", "arm64");

    private LineageImage PushArm(string tag, IEnumerable<string>? layers = null) =>
        Images.Push("registry.test/app", layers ?? ["b1", "r1", "arm-" + tag], tag: "arm-" + tag, platform: Arm64, annotations: Runtime.AsBaseClaim());

    [Fact]
    public async Task An_index_with_one_unsigned_platform_is_denied_for_that_platform()
    {
        LineageImage arm = PushArm("unsigned");
        LineageImage index = Images.PushIndex("registry.test/app", [(App, Amd64), (arm, Arm64)], tag: "multi");

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), index.Reference);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC5102", verdict.Error?.Code);
        Assert.True(verdict.IsIndex);
        Assert.Equal([true, false], verdict.Platforms.Select(p => p.Allowed));
        Assert.Equal(Arm64, verdict.Deciding!.Platform);
        Assert.Equal(arm.Digest, verdict.Levels[0].Level.Digest);
    }

    [Fact]
    public async Task A_legitimately_signed_manifest_rewrapped_with_the_attackers_platform_is_denied()
    {
        LineageImage evil = PushArm("evil");
        Evidence.Sign(evil.Digest, FakeSignature.Keyless("https://ci.example/mallory/app/.github/workflows/evil.yml@refs/heads/main", CiIssuer));
        LineageImage rewrapped = Images.PushIndex("registry.test/app", [(App, Amd64), (evil, Arm64)], tag: "rewrapped");

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), rewrapped.Reference);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC5103", verdict.Error?.Code);
        Assert.Equal(Arm64, verdict.Deciding!.Platform);
        Assert.True(verdict.Platforms[0].Allowed);
    }

    [Fact]
    public async Task An_index_signed_at_its_digest_still_needs_every_platforms_lineage_proved()
    {
        LineageImage forged = PushArm("forged", ["not-b1", "r1", "arm"]);
        LineageImage index = Images.PushIndex("registry.test/app", [(App, Amd64), (forged, Arm64)], tag: "signed-index");
        Evidence.Sign(index.Digest, Ci);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), index.Reference);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC4603", verdict.Error?.Code);
        Assert.Equal(Arm64, verdict.Deciding!.Platform);
        Assert.Equal(index.Digest, Assert.Single(verdict.Deciding.Levels[0].Signers).SignedDigest);
    }

    [Fact]
    public async Task A_workload_pinned_to_arm64_is_allowed_when_only_arm64_is_signed_and_denied_otherwise()
    {
        LineageImage amd = Images.Push("registry.test/app", ["b1", "r1", "amd-unsigned"], tag: "amd-unsigned", annotations: Runtime.AsBaseClaim());
        LineageImage arm = PushArm("signed");
        Evidence.Sign(arm.Digest, Ci);
        LineageImage index = Images.PushIndex("registry.test/app", [(amd, Amd64), (arm, Arm64)], tag: "arm-only-signed");

        PolicyVerdict pinned = await EvaluateAsync(PolicyText(), index.Reference, PlatformSet.Constrained(null, ["arm64"]));
        PolicyVerdict unpinned = await EvaluateAsync(PolicyText(), index.Reference);
        PolicyVerdict pinnedToAmd = await EvaluateAsync(PolicyText(), index.Reference, PlatformSet.Constrained(["linux"], ["amd64"]));
        PolicyVerdict pinnedElsewhere = await EvaluateAsync(PolicyText(), index.Reference, PlatformSet.Constrained(null, ["s390x"]));

        Assert.True(pinned.Allowed, pinned.ErrorDetail);
        Assert.Equal(Arm64, Assert.Single(pinned.Platforms).Platform);
        Assert.Equal(amd.Digest, Assert.Single(pinned.Skipped).Digest);
        Assert.Equal("SC5102", unpinned.Error?.Code);
        Assert.Equal("SC5102", pinnedToAmd.Error?.Code);
        Assert.False(pinnedElsewhere.Allowed);
        Assert.Equal("SC5111", pinnedElsewhere.Error?.Code);
    }

    [Fact]
    public async Task Attestation_manifests_of_platform_unknown_are_skipped_and_recorded_and_a_nested_index_is_denied()
    {
        LineageImage attestation = Images.Push("registry.test/app", ["att"], tag: "att");
        LineageImage index = Images.PushIndex("registry.test/app", [(App, Amd64), (attestation, new OciPlatform("unknown", "unknown"))], tag: "with-attestations");
        var nestedJson = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(
                new JsonObject { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = App.Digest, ["size"] = 1, ["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "amd64" } },
                new JsonObject { ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["digest"] = index.Digest, ["size"] = 1 }),
        };
        LineageImage nested = Images.PushRaw("registry.test/app", "application/vnd.oci.image.index.v1+json", nestedJson.ToJsonString(), tag: "nested");

        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), index.Reference);
        PolicyVerdict nestedVerdict = await EvaluateAsync(PolicyText(), nested.Reference);

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        Assert.Single(verdict.Platforms);
        SkippedPlatform skipped = Assert.Single(verdict.Skipped);
        Assert.Equal((attestation.Digest, "unknown/unknown"), (skipped.Digest, skipped.Platform));
        Assert.False(nestedVerdict.Allowed);
        Assert.Equal("SC5110", nestedVerdict.Error?.Code);
    }

    [Fact]
    public async Task Each_digest_is_collected_once_per_evaluation_however_many_platforms_and_authorities_ask()
    {
        LineageImage arm = PushArm("count");
        LineageImage index = Images.PushIndex("registry.test/app", [(App, Amd64), (arm, Arm64)], tag: "count");
        Evidence.Sign(index.Digest, Ci);
        string policy = PolicyText($$"""
                  - name: ci-too
                    keyless: { issuer: "{{CiIssuer}}", subject: "{{CiSubject}}" }
                attestations: [{ predicateType: "{{Provenance}}", authorities: [ci, ci-too] }]
                lineage: { required: true }
            """);
        Evidence.Attest(index.Digest, Provenance, Ci);

        PolicyVerdict verdict = await EvaluateAsync(policy, index.Reference);

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        Assert.Equal(Evidence.Collected.Count, Evidence.Collected.Distinct().Count());

        // index (signatures, provenance), two platform manifests (signatures, provenance), runtime, base: runtime and base
        // are shared by both platforms and asked once.
        Assert.Equal(8, Evidence.Collected.Count);
    }
}
