using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;
using static SupplyChain.Testing.Oci.ProvenanceStatements;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>
/// Issue 20, item 1: among the image dependencies a verified provenance names, the base is the one whose diff_ids are the
/// longest prefix of the child's; the choice is recorded; candidates are approved before any request; an index resolves
/// to the child's platform; provenance and annotations must agree (SC4601); a walk may require provenance-backed claims (SC4654).
/// </summary>
public sealed class ProvenanceLineageTests : LineageFixture
{
    private readonly List<string> _requested = [];
    private readonly LineageImage _os;
    private readonly LineageImage _runtime;
    private readonly LineageImage _golang;

    public ProvenanceLineageTests()
    {
        _os = Images.Push("registry.test/os", ["o1"], tag: "1", annotations: Claim("scratch", null));
        _runtime = Images.Push("registry.test/runtime", ["o1", "r1"], tag: "1", annotations: _os.AsBaseClaim());
        _golang = Images.Push("registry.test/golang", ["o1", "g1", "g2"], tag: "1.22");
        Registry.FailRead = r => { lock (_requested) { _requested.Add(r.Registry + "/" + r.Repository); } return null; };
    }

    private TableProvenance Provenance { get; } = new();

    private LineageOptions Options(bool requireProvenance = false, Func<LineageLevel, BaseImageClaim, ImageReference, SupplyChainException?>? checkBase = null) =>
        new() { ProvenanceSource = Provenance, RequireProvenance = requireProvenance, CheckBase = checkBase };

    [Fact]
    public async Task A_single_stage_build_names_its_base_and_the_proof_selects_it()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"]);
        Provenance.Add(app, V1(app.Digest, Dependency(_runtime)));

        LineageTree tree = await WalkAsync(app, Options());

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(ClaimSource.Provenance, tree.Levels[0].Claim!.Source);
        Assert.Equal(_runtime.Digest, tree.Levels[0].Claim!.Digest);
        Assert.Equal(1, tree.Levels[0].LayersAdded);
        BaseCandidate chosen = Assert.Single(tree.Levels[0].Provenance!.Candidates);
        Assert.Equal(BaseCandidateOutcome.Chosen, chosen.Outcome);
        Assert.Equal(2, chosen.ProvedLayers);
        Assert.Equal(["registry.test/runtime", "registry.test/os"], tree.Levels.Skip(1).Select(l => l.Name));
    }

    [Fact]
    public async Task A_multi_stage_build_resolves_to_the_longest_proved_prefix_and_records_the_others()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"]);
        Provenance.Add(app, V02(app.Digest, Dependency(_golang), Dependency(_os), Dependency(_runtime)));

        LineageTree tree = await WalkAsync(app, Options());

        Assert.Equal(_runtime.Digest, tree.Levels[0].Claim!.Digest);
        Assert.Equal(
            [BaseCandidateOutcome.NotProved, BaseCandidateOutcome.ProvedShorter, BaseCandidateOutcome.Chosen],
            tree.Levels[0].Provenance!.Candidates.Select(c => c.Outcome));
        Assert.Equal([0, 1, 2], tree.Levels[0].Provenance!.Candidates.Select(c => c.ProvedLayers));
    }

    [Theory]
    [InlineData("v02-multistage-go.json", "materials")]
    [InlineData("v1-git-context.json", "resolvedDependencies")]
    public async Task BuildKits_documented_statements_with_local_images_in_place_of_theirs_select_the_base(string file, string list)
    {
        // The documented statement as is, but for the images: the frontend (no platform) becomes a tool image that does
        // not prove, the other image the runtime, for the child's platform; the subject becomes the child.
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"]);
        JsonObject statement = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.TestData, "provenance-buildkit", file)))!.AsObject();
        JsonObject predicate = statement["predicate"]!.AsObject();
        JsonArray dependencies = (list == "materials" ? predicate["materials"] : predicate["buildDefinition"]!["resolvedDependencies"])!.AsArray();
        int last = dependencies.Select((d, i) => (d, i)).Last(p => p.d!["uri"]!.GetValue<string>().StartsWith("pkg:docker/", StringComparison.Ordinal)).i;
        foreach ((JsonNode? dependency, int i) in dependencies.Select((d, i) => (d, i)).Where(p => p.d!["uri"]!.GetValue<string>().StartsWith("pkg:docker/", StringComparison.Ordinal)))
        {
            LineageImage local = i == last ? _runtime : _golang;
            dependency!["uri"] = BuildKitPurl(local.Reference, i == last ? "linux/amd64" : null);
            dependency["digest"] = new JsonObject { ["sha256"] = local.Digest["sha256:".Length..] };
        }

        statement["subject"]![0]!["digest"] = new JsonObject { ["sha256"] = app.Digest["sha256:".Length..] };
        Provenance.Add(app, statement);

        LineageTree tree = await WalkAsync(app, Options());

        Assert.Equal(_runtime.Digest, tree.Levels[0].Claim!.Digest);
        Assert.Equal(BaseCandidateOutcome.Chosen, tree.Levels[0].Provenance!.Candidates[^1].Outcome);
        Assert.Equal(LineageEnd.Scratch, tree.End);
    }

    [Fact]
    public async Task Two_different_images_proving_the_same_prefix_are_ambiguous()
    {
        LineageImage twin = Images.Push("registry.test/runtime", ["o1", "r1"], tag: "twin", labels: new Dictionary<string, string> { ["twin"] = "yes" });
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"]);
        Provenance.Add(app, V1(app.Digest, Dependency(_runtime), Dependency(twin)));

        AssertFailed(await WalkAsync(app, Options()), "SC4653");
    }

    [Fact]
    public async Task A_dependency_that_does_not_prove_is_no_claim()
    {
        LineageImage app = Images.Push("registry.test/app", ["x1", "a1"]);
        Provenance.Add(app, V1(app.Digest, Dependency(_runtime)));

        LineageTree tree = await WalkAsync(app, Options());

        Assert.Equal(LineageEnd.NoClaim, tree.End);
        Assert.Equal(BaseCandidateOutcome.NotProved, Assert.Single(tree.Levels[0].Provenance!.Candidates).Outcome);
        Assert.Null(tree.Levels[0].Claim);
    }

    [Fact]
    public async Task A_dependency_on_an_index_resolves_to_the_childs_platform()
    {
        var arm = new OciPlatform("linux", "arm64", "v8");
        LineageImage runtimeAmd = Images.Push("registry.test/multi", ["o1", "m1"]);
        LineageImage runtimeArm = Images.Push("registry.test/multi", ["o2", "m2"], platform: arm);
        LineageImage index = Images.PushIndex("registry.test/multi", [(runtimeAmd, new OciPlatform("linux", "amd64")), (runtimeArm, arm)], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["o2", "m2", "a1"], platform: arm);
        Provenance.Add(app, V1(app.Digest, Dependency(index, "linux/arm64/v8")));

        LineageTree tree = await WalkAsync(app, Options());

        Assert.Equal(index.Digest, tree.Levels[0].Claim!.Digest);
        Assert.Equal(runtimeArm.Digest, tree.Levels[1].Digest);
        Assert.Equal(index.Digest, tree.Levels[1].IndexDigest);
    }

    [Fact]
    public async Task A_dependency_of_another_platform_is_recorded_and_never_requested()
    {
        LineageImage toolchain = Images.Push("registry.test/cross", ["o1", "r1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"]);
        Provenance.Add(app, V1(app.Digest, Dependency(toolchain, "linux/arm64")));
        _requested.Clear();

        LineageTree tree = await WalkAsync(app, Options());

        Assert.Equal(LineageEnd.NoClaim, tree.End);
        Assert.Equal(BaseCandidateOutcome.OtherPlatform, tree.Levels[0].Provenance!.Candidates[0].Outcome);
        Assert.DoesNotContain("registry.test/cross", _requested);
    }

    [Fact]
    public async Task A_candidate_the_caller_does_not_approve_is_never_requested_and_the_approved_one_is_chosen()
    {
        LineageImage tarpit = Images.Push("tarpit.test/base", ["o1", "r1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"]);
        Provenance.Add(app, V1(app.Digest, Dependency(tarpit), Dependency(_os)));
        _requested.Clear();

        LineageTree tree = await WalkAsync(app, Options(checkBase: (_, _, r) => r.Registry == "tarpit.test" ? OciErrors.LineageClaimMalformed.ToException("not covered") : null));

        Assert.DoesNotContain("tarpit.test/base", _requested);
        Assert.Equal(_os.Digest, tree.Levels[0].Claim!.Digest);
        Assert.Equal(BaseCandidateOutcome.NotCovered, tree.Levels[0].Provenance!.Candidates[0].Outcome);
        Assert.False(tree.Levels[0].Provenance!.Complete);
    }

    [Fact]
    public async Task More_than_16_candidates_of_the_platform_fail_before_any_request()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "a1"]);
        Provenance.Add(app, V1(app.Digest, [.. Enumerable.Range(0, 17).Select(i => ($"pkg:docker/registry.test/many{i}@1?platform=linux%2Famd64", (string?)_os.Digest))]));
        _requested.Clear();

        LineageTree tree = await WalkAsync(app, Options());

        AssertFailed(tree, "SC4652");
        Assert.DoesNotContain(_requested, r => r.StartsWith("registry.test/many", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provenance_naming_the_image_itself_is_not_a_base()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "a1"]);
        Provenance.Add(app, V1(app.Digest, Dependency(app)));

        LineageTree tree = await WalkAsync(app, Options());

        Assert.Equal(LineageEnd.NoClaim, tree.End);
        Assert.Equal("names the image itself", tree.Levels[0].Provenance!.Candidates[0].Detail);
    }

    [Fact]
    public async Task Annotations_and_provenance_that_agree_are_one_claim_with_both_sources()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"], annotations: _runtime.AsBaseClaim());
        Provenance.Add(app, V1(app.Digest, Dependency(_runtime), Dependency(_os)));

        LineageTree tree = await WalkAsync(app, Options(requireProvenance: false));

        Assert.Equal(ClaimSource.ManifestAnnotation, tree.Levels[0].Claim!.Source);
        Assert.Equal(ClaimSources.ManifestAnnotations | ClaimSources.Provenance, tree.Levels[0].Claim!.Sources);
        Assert.Equal(LineageEnd.Scratch, tree.End);
    }

    [Fact]
    public async Task Annotations_naming_another_base_than_the_provenance_proves_conflict()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"], annotations: _os.AsBaseClaim());
        Provenance.Add(app, V1(app.Digest, Dependency(_runtime)));

        LineageTree tree = await WalkAsync(app, Options());

        AssertFailed(tree, "SC4601");
        Assert.Equal(BaseCandidateOutcome.Chosen, tree.Levels[0].Provenance!.Candidates[0].Outcome);
    }

    [Fact]
    public async Task A_scratch_declaration_contradicted_by_a_proved_base_conflicts()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "a1"], labels: Claim("scratch", null));
        Provenance.Add(app, V1(app.Digest, Dependency(_os)));

        AssertFailed(await WalkAsync(app, Options()), "SC4601");
    }

    [Fact]
    public async Task Required_provenance_refuses_an_annotation_alone_and_accepts_it_backed()
    {
        LineageImage unbacked = Images.Push("registry.test/app", ["o1", "r1", "a1"], tag: "unbacked", annotations: _runtime.AsBaseClaim(), labels: new Dictionary<string, string> { ["build"] = "1" });
        LineageImage backed = Images.Push("registry.test/app", ["o1", "r1", "a1"], tag: "backed", annotations: _runtime.AsBaseClaim());
        Provenance.Add(backed, V1(backed.Digest, Dependency(_runtime)));
        Provenance.Add(_runtime, V1(_runtime.Digest, Dependency(_os)));
        Provenance.Add(_os, V1(_os.Digest));

        LineageTree refused = await WalkAsync(unbacked, Options(requireProvenance: true));
        LineageTree accepted = await WalkAsync(backed, Options(requireProvenance: true));

        AssertFailed(refused, "SC4654");
        Assert.Single(refused.Levels);
        Assert.Equal(LineageEnd.Scratch, accepted.End);
        Assert.All(accepted.Levels.Take(2), l => Assert.True(l.Claim!.Sources.HasFlag(ClaimSources.Provenance)));
    }

    [Fact]
    public async Task Required_provenance_backs_scratch_only_when_every_candidate_was_judged()
    {
        LineageImage tool = Images.Push("tarpit.test/tool", ["t1"], tag: "1");
        LineageImage complete = Images.Push("registry.test/static", ["s1"], tag: "complete", annotations: Claim("scratch", null));
        LineageImage partial = Images.Push("registry.test/static", ["s1"], tag: "partial", annotations: Claim("scratch", null), labels: new Dictionary<string, string> { ["build"] = "2" });
        Provenance.Add(complete, V1(complete.Digest, Dependency(_golang)));
        Provenance.Add(partial, V1(partial.Digest, Dependency(_golang), Dependency(tool)));
        Func<LineageLevel, BaseImageClaim, ImageReference, SupplyChainException?> check = (_, _, r) => r.Registry == "tarpit.test" ? OciErrors.LineageClaimMalformed.ToException("no") : null;

        LineageTree scratch = await WalkAsync(complete, Options(requireProvenance: true, checkBase: check));
        LineageTree refused = await WalkAsync(partial, Options(requireProvenance: true, checkBase: check));

        Assert.Equal(LineageEnd.Scratch, scratch.End);
        AssertFailed(refused, "SC4654");
    }

    [Fact]
    public async Task Provenance_is_not_asked_for_when_the_level_admission_does_not_cover_it()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"], annotations: _runtime.AsBaseClaim());
        Provenance.Add(app, V1(app.Digest, Dependency(_os)));

        LineageTree tree = await WalkAsync(app, new LineageOptions
        {
            ProvenanceSource = Provenance,
            AdmitLevel = (_, _) => Task.FromResult(LevelAdmission.Allowed(ClaimSources.ManifestAnnotations)),
        });

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Empty(Provenance.AskedDepths);
        Assert.Null(tree.Levels[0].Provenance);
    }

    [Fact]
    public async Task A_base_chosen_below_the_depth_limit_is_too_deep_but_a_scratch_declaration_there_is_backed()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"]);
        Provenance.Add(app, V1(app.Digest, Dependency(_runtime)));
        Provenance.Add(_runtime, V1(_runtime.Digest, Dependency(_os)));
        Provenance.Add(_os, V1(_os.Digest, Dependency(_golang)));

        LineageTree tooDeep = await WalkAsync(app, new LineageOptions { ProvenanceSource = Provenance, MaxDepth = 1 });
        LineageTree atLimit = await new LineageWalker(Registry, new LineageOptions { ProvenanceSource = Provenance, MaxDepth = 1, RequireProvenance = true }).WalkAsync(_runtime.Reference);

        AssertFailed(tooDeep, "SC4606");
        Assert.Equal(2, tooDeep.Levels.Count);
        Assert.Equal(LineageEnd.Scratch, atLimit.End);
        Assert.Equal(BaseCandidateOutcome.NotProved, atLimit.Levels[1].Provenance!.Candidates[0].Outcome);
    }

    [Fact]
    public async Task The_json_tree_records_every_candidate_and_every_agreeing_source()
    {
        LineageImage app = Images.Push("registry.test/app", ["o1", "r1", "a1"], annotations: _runtime.AsBaseClaim());
        Provenance.Add(app, V1(app.Digest, Dependency(_runtime), Dependency(_golang), ("pkg:oci/x@sha256%3Abad", null)));

        LineageTree tree = await WalkAsync(app, Options());
        using JsonDocument json = JsonDocument.Parse(tree.ToJson());
        JsonElement level = json.RootElement.GetProperty("levels")[0];

        Assert.Equal(["ManifestAnnotation", "Provenance"], level.GetProperty("baseClaim").GetProperty("sources").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["Chosen", "NotProved", "Unusable"], level.GetProperty("provenance").GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("outcome").GetString()));
        Assert.StartsWith("SC4650", level.GetProperty("provenance").GetProperty("candidates")[2].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
