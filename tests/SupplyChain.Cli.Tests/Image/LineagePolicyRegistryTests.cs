using System.Text.Json.Nodes;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// <c>signcli verify IMAGE --policy</c>, <c>signcli policy test</c> and <c>signcli lineage</c> on real umoci-built image
/// hierarchies on Debian's docker-registry (see <see cref="LineageHierarchyFixture"/>): each case asserts the exit code
/// and the error code.
/// </summary>
public sealed class LineagePolicyRegistryTests : IClassFixture<LineageHierarchyFixture>
{
    private readonly LineageHierarchyFixture _fixture;

    public LineagePolicyRegistryTests(LineageHierarchyFixture fixture)
    {
        _fixture = fixture;
    }

    private LineageHierarchy Images => _fixture.Images;

    /// <summary>
    /// Applications (<c>PREFIX/app</c>) signed by the CI key with the lineage walked to scratch; base images
    /// (every other repository of the run) signed by the publisher key.
    /// </summary>
    private string Policy(string lineage = "required: true, trustedRoots: [scratch], maxDepth: 8", string? ciAuthority = null)
    {
        ciAuthority ??= $"key: {"{"} path: {_fixture.CiPub} {"}"}";
        string yaml = $"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: apps
                images: ["{Images.Prefix}/app"]
                authorities:
                  - name: ci
                    {ciAuthority}
                lineage: {"{"} {lineage} {"}"}
              - name: platform
                images: ["{Images.Prefix}/*"]
                authorities:
                  - name: publisher
                    key: {"{"} path: {_fixture.PublisherPub} {"}"}
            """;
        return _fixture.Write("policy-" + Guid.NewGuid().ToString("N") + ".yaml", yaml);
    }

    private CliRun Verify(string image, string policy, params string[] more) =>
        _fixture.Run(["verify", image, "--policy", policy, "--trusted-root", _fixture.TrustedRoot, .. more]);

    private static JsonNode Json(CliRun run) => JsonNode.Parse(run.Stdout)!;

    /// <summary>A denial: the exit code, the verdict's error code (JSON) and the code in the text form.</summary>
    private void AssertDenied(string image, int exitCode, string code, string? policy = null)
    {
        policy ??= Policy();
        CliRun json = Verify(image, policy, "--output", "json");
        Assert.True(json.ExitCode == exitCode, json.ToString());
        Assert.False((bool)Json(json)["allowed"]!);
        Assert.Equal(code, (string?)Json(json)["error"]);

        CliRun text = Verify(image, policy);
        Assert.True(text.ExitCode == exitCode, text.ToString());
        Assert.Contains($"DENIED: {image} ({code};", text.Stderr, StringComparison.Ordinal);
    }

    [RegistryFact(needsImageTools: true)]
    public void An_index_with_one_unsigned_platform_is_denied_unless_platform_names_only_the_signed_one()
    {
        string policy = Policy();

        AssertDenied(Images.BaseIndex, 5, "SC5102", policy);
        CliRun json = Verify(Images.BaseIndex, policy, "--output", "json");
        Assert.Equal(["linux/amd64", "linux/arm64"], Json(json)["platforms"]!.AsArray().Select(p => (string?)p!["platform"]));
        Assert.Equal([true, false], Json(json)["platforms"]!.AsArray().Select(p => (bool)p!["allowed"]!));

        CliRun amd64 = Verify(Images.BaseIndex, policy, "--platform", "linux/amd64");
        Assert.True(amd64.ExitCode == 0, amd64.ToString());
        Assert.Contains("skipped linux/arm64", amd64.Stderr, StringComparison.Ordinal);
        CliRun both = _fixture.Run("policy", "test", "--policy", policy, "--trusted-root", _fixture.TrustedRoot, "--platform", "linux/amd64", "--platform", "linux/arm64", Images.BaseIndex);
        Assert.True(both.ExitCode == 5, both.ToString());
        Assert.Contains($"DENIED: {Images.BaseIndex} (SC5102;", both.Stdout, StringComparison.Ordinal);
    }

    [RegistryFact(needsImageTools: true)]
    public void The_whole_chain_verifies_each_level_under_its_own_rule()
    {
        CliRun run = Verify(Images.App, Policy(), "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonNode verdict = Json(run);
        Assert.Equal("application/vnd.supplychain.policy-result.v1+json", (string?)verdict["mediaType"]);

        // Written unescaped (a '+' as \u002B would defeat a plain text search for the media type).
        Assert.Contains("\"mediaType\": \"application/vnd.supplychain.policy-result.v1+json\"", run.Stdout, StringComparison.Ordinal);
        Assert.True((bool)verdict["allowed"]!);
        Assert.Equal("Scratch", (string?)verdict["lineageEnd"]);
        JsonArray levels = verdict["levels"]!.AsArray();
        Assert.Equal([LineageHierarchyFixture.Digest(Images.App), LineageHierarchyFixture.Digest(Images.Runtime), LineageHierarchyFixture.Digest(Images.Base)], levels.Select(l => (string?)l!["digest"]));
        Assert.Equal(["apps", "platform", "platform"], levels.Select(l => (string?)l!["rule"]));
        Assert.Equal(["ci", "publisher", "publisher"], levels.Select(l => (string?)l!["signers"]![0]!["authority"]));
        Assert.Equal([2, 1, 1], levels.Select(l => (int)l!["layersAdded"]!));
        Assert.Equal(["ConfigLabel", "ManifestAnnotation", "ManifestAnnotation"], levels.Select(l => (string?)l!["baseClaim"]!["source"]));

        CliRun text = Verify(Images.App, Policy());
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"ALLOWED: {Images.App} (lineage: Scratch)", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("rule: platform; signers: publisher: key sha256:", text.Stderr, StringComparison.Ordinal);
    }

    [RegistryFact(needsImageTools: true)]
    public void A_keyless_app_verifies_against_its_identity_over_key_signed_bases()
    {
        string issuer = FakeSigstore.Issuer;
        string policy = Policy(ciAuthority: $"keyless: {"{"} issuer: \"{issuer}\", subject: \"{FakeSigstore.Identity}\" {"}"}");

        CliRun run = Verify(Images.AppKeyless, policy, "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"{FakeSigstore.Identity} ({issuer})", (string?)Json(run)["levels"]![0]!["signers"]![0]!["identity"]);
        AssertDenied(Images.AppKeyless, 1, "SC5103", Policy(ciAuthority: $"keyless: {"{"} issuer: \"{issuer}\", subjectRegExp: \"https://github\\\\.com/someone-else/.*\" {"}"}"));
    }

    [RegistryFact(needsImageTools: true)]
    public void An_unsigned_base_exits_5_and_a_base_signed_by_the_wrong_identity_exits_1()
    {
        AssertDenied(Images.AppOnUnsignedBase, 5, "SC5102");
        AssertDenied(Images.AppOnWrongBase, 1, "SC5103");
    }

    [RegistryFact(needsImageTools: true)]
    public void A_forged_claim_and_a_squashed_image_fail_the_layer_proof()
    {
        AssertDenied(Images.Forged, 1, "SC4603");
        AssertDenied(Images.Squashed, 1, "SC4603");
    }

    [RegistryFact(needsImageTools: true)]
    public void A_claim_naming_an_index_is_resolved_to_the_childs_platform()
    {
        CliRun run = Verify(Images.AppOnIndex, Policy(), "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonNode level = Json(run)["levels"]![1]!;
        Assert.Equal(LineageHierarchyFixture.Digest(Images.Base), (string?)level["digest"]);
        Assert.Equal(LineageHierarchyFixture.Digest(Images.BaseIndex), (string?)level["indexDigest"]);
    }

    [RegistryFact(needsImageTools: true)]
    public void A_top_image_without_a_claim_is_denied_unless_the_policy_allows_a_missing_claim()
    {
        AssertDenied(Images.NoClaim, 1, "SC5105");

        CliRun allowed = Verify(Images.NoClaim, Policy("required: true, allowMissingClaim: true"), "--output", "json");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal("NoClaim", (string?)Json(allowed)["lineageEnd"]);
    }

    [RegistryFact(needsImageTools: true)]
    public void A_cycle_a_depth_over_the_limit_and_a_deleted_base_are_denied_with_their_codes()
    {
        AssertDenied(Images.Cycle, 1, "SC4605");
        AssertDenied(Images.App, 1, "SC4606", Policy("required: true, maxDepth: 1"));
        AssertDenied(Images.AppOnDeletedBase, 1, "SC4604");
    }

    [RegistryFact(needsImageTools: true)]
    public void Policy_test_evaluates_several_images_and_exits_with_the_first_denial()
    {
        string policy = Policy();

        CliRun all = _fixture.Run("policy", "test", "--policy", policy, "--trusted-root", _fixture.TrustedRoot, Images.App, Images.AppOnIndex);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("2 of 2 image(s) allowed", all.Stderr, StringComparison.Ordinal);

        CliRun mixed = _fixture.Run("policy", "test", "--policy", policy, "--trusted-root", _fixture.TrustedRoot, "--output", "json", Images.App, Images.AppOnUnsignedBase, Images.Forged);
        Assert.True(mixed.ExitCode == 5, mixed.ToString());
        JsonArray verdicts = JsonNode.Parse(mixed.Stdout)!.AsArray();
        Assert.Equal([true, false, false], verdicts.Select(v => (bool)v!["allowed"]!));
        Assert.Equal([null, "SC5102", "SC4603"], verdicts.Select(v => (string?)v!["error"]));
    }

    [RegistryFact(needsImageTools: true)]
    public void Lineage_prints_the_tree_and_exits_with_the_walks_failure()
    {
        CliRun text = _fixture.Run("lineage", Images.App);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"[2] {Images.Prefix}/base@{LineageHierarchyFixture.Digest(Images.Base)}", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("base claim: scratch (from ManifestAnnotation)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("end: Scratch", text.Stdout, StringComparison.Ordinal);

        CliRun json = _fixture.Run("lineage", Images.App, "--output", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        JsonNode tree = Json(json);
        Assert.Contains("\"mediaType\": \"application/vnd.supplychain.lineage.v1+json\"", json.Stdout, StringComparison.Ordinal);
        Assert.Equal([4, 2, 1], tree["levels"]!.AsArray().Select(l => (int)l!["layersTotal"]!));
        Assert.Equal("Scratch", (string?)tree["end"]);

        CliRun shallow = _fixture.Run("lineage", Images.App, "--max-depth", "1");
        CliRunner.AssertFails(shallow, 1, "SC4606");
        Assert.Contains("end: Failed (SC4606)", shallow.Stdout, StringComparison.Ordinal);

        CliRunner.AssertFails(_fixture.Run("lineage", Images.Forged), 1, "SC4603");
        CliRunner.AssertFails(_fixture.Run("lineage", Images.App, "--max-depth", "0"), 2, "SC6001");
    }

    [RegistryFact(needsImageTools: true)]
    public void Verify_policy_refuses_identity_flags_and_a_malformed_policy()
    {
        CliRunner.AssertFails(Verify(Images.App, Policy(), "--key", _fixture.CiPub), 2, "SC6001");
        string bad = _fixture.Write("bad.yaml", "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\nrulez: []\n");
        CliRunner.AssertFails(Verify(Images.App, bad), 2, "SC5004");
    }
}
