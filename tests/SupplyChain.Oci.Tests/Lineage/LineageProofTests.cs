using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>The proof: the base's diff_ids are the child's first diff_ids; a claim that fails it is forged or stale.</summary>
public class LineageProofTests : LineageFixture
{
    [Fact]
    public async Task A_true_claim_records_the_layers_each_level_adds()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1", "b2"], tag: "1", annotations: Claim("scratch", null));
        LineageImage runtime = Images.Push("registry.test/runtime", ["b1", "b2", "r1"], tag: "1", annotations: root.AsBaseClaim());
        LineageImage app = Images.Push("registry.test/app", ["b1", "b2", "r1", "a1", "a2", "a3"], annotations: runtime.AsBaseClaim());

        LineageTree tree = await WalkAsync(app);

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Null(tree.Error);
        Assert.Equal([3, 1, 2], tree.Levels.Select(l => l.LayersAdded));
        Assert.Equal([6, 3, 2], tree.Levels.Select(l => l.LayersTotal));
        Assert.Equal([0, 1, 2], tree.Levels.Select(l => l.Depth));
        Assert.Equal([app.Digest, runtime.Digest, root.Digest], tree.Levels.Select(l => l.Digest));

        // Two registry reads per level: the manifest, then its config blob.
        Assert.Equal(6, Registry.Reads);
    }

    [Fact]
    public async Task A_forged_claim_naming_an_unrelated_image_fails_the_proof()
    {
        LineageImage unrelated = Images.Push("registry.test/trusted", ["t1"], tag: "1", annotations: Claim("scratch", null));
        LineageImage app = Images.Push("registry.test/app", ["evil1", "a1"], annotations: unrelated.AsBaseClaim());

        LineageTree tree = await WalkAsync(app);

        AssertFailed(tree, "SC4603");
        Assert.Single(tree.Levels);
        Assert.Equal(unrelated.Digest, tree.Levels[0].Claim!.Digest);
    }

    [Fact]
    public async Task A_squashed_image_keeping_its_base_claim_fails_the_proof()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1", "b2"], tag: "1");
        LineageImage squashed = Images.Push("registry.test/app", ["squashed-b1-b2-a1"], annotations: root.AsBaseClaim());

        AssertFailed(await WalkAsync(squashed), "SC4603");
    }

    [Fact]
    public async Task A_stale_claim_whose_base_was_rebuilt_fails_the_proof()
    {
        LineageImage rebuilt = Images.Push("registry.test/base", ["b1-patched", "b2"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["b1", "b2", "a1"], annotations: rebuilt.AsBaseClaim());

        AssertFailed(await WalkAsync(app), "SC4603");
    }

    [Fact]
    public async Task A_base_with_more_layers_than_the_child_fails_the_proof()
    {
        LineageImage big = Images.Push("registry.test/base", ["b1", "b2", "b3"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["b1", "b2"], annotations: big.AsBaseClaim());

        AssertFailed(await WalkAsync(app), "SC4603");
    }

    [Fact]
    public async Task Recompressed_layers_with_the_same_diff_ids_still_prove_the_base()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1", "b2"], tag: "1", compression: "gzip", annotations: Claim("scratch", null));
        LineageImage app = Images.Push("registry.test/app", ["b1", "b2", "a1"], compression: "zstd", annotations: root.AsBaseClaim());

        LineageTree tree = await WalkAsync(app);

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(1, tree.Levels[0].LayersAdded);
    }

    [Fact]
    public async Task A_claim_naming_an_index_is_resolved_to_the_childs_platform()
    {
        var arm = new OciPlatform("linux", "arm64", "v8");
        LineageImage baseAmd = Images.Push("registry.test/base", ["b-amd"], annotations: Claim("scratch", null));
        LineageImage baseArm = Images.Push("registry.test/base", ["b-arm"], platform: arm, annotations: Claim("scratch", null));
        LineageImage baseIndex = Images.PushIndex("registry.test/base", [(baseAmd, LineageOptions.DefaultPlatform), (baseArm, arm)], tag: "1");
        LineageImage appArm = Images.Push("registry.test/app", ["b-arm", "a1"], platform: arm, annotations: baseIndex.AsBaseClaim());
        LineageImage appAmd = Images.Push("registry.test/app", ["b-amd", "a1"], annotations: baseIndex.AsBaseClaim());
        LineageImage appIndex = Images.PushIndex("registry.test/app", [(appAmd, LineageOptions.DefaultPlatform), (appArm, arm)], tag: "1");

        LineageTree armTree = await WalkAsync(appIndex, new LineageOptions { Platform = new OciPlatform("linux", "arm64") });
        LineageTree amdTree = await WalkAsync(appIndex);

        Assert.Equal(LineageEnd.Scratch, armTree.End);
        Assert.Equal([appArm.Digest, baseArm.Digest], armTree.Levels.Select(l => l.Digest));
        Assert.Equal(baseIndex.Digest, armTree.Levels[1].IndexDigest);
        Assert.Equal(arm, armTree.Levels[1].Platform);
        Assert.Equal(LineageEnd.Scratch, amdTree.End);
        Assert.Equal([appAmd.Digest, baseAmd.Digest], amdTree.Levels.Select(l => l.Digest));
    }

    [Fact]
    public async Task A_claimed_index_without_the_childs_platform_fails()
    {
        var arm = new OciPlatform("linux", "arm64", "v8");
        LineageImage baseArm = Images.Push("registry.test/base", ["b1"], platform: arm);
        LineageImage baseIndex = Images.PushIndex("registry.test/base", [(baseArm, arm)], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["b1", "a1"], annotations: baseIndex.AsBaseClaim());

        AssertFailed(await WalkAsync(app), "SC4608");
    }

    [Fact]
    public async Task A_top_index_without_the_requested_platform_fails()
    {
        LineageImage amd = Images.Push("registry.test/app", ["a1"]);
        LineageImage index = Images.PushIndex("registry.test/app", [(amd, LineageOptions.DefaultPlatform)], tag: "1");

        AssertFailed(await WalkAsync(index, new LineageOptions { Platform = new OciPlatform("linux", "s390x") }), "SC4608");
    }
}
