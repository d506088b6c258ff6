using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>How walks end, and that every failure (cycle, depth, missing base, registry error, bad content) fails closed with its code.</summary>
public class LineageWalkTests : LineageFixture
{
    [Fact]
    public async Task A_claimed_base_without_layers_ends_the_walk_as_empty()
    {
        LineageImage empty = Images.Push("registry.test/scratch", [], tag: "1");
        LineageImage root = Images.Push("registry.test/base", ["b1"], annotations: empty.AsBaseClaim());

        LineageTree tree = await WalkAsync(root);

        Assert.Equal(LineageEnd.Empty, tree.End);
        Assert.Equal(2, tree.Levels.Count);
        Assert.Equal(0, tree.Levels[1].LayersTotal);
    }

    [Fact]
    public async Task The_walk_stops_at_a_trusted_root_without_reading_its_claim()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1"], tag: "1", annotations: Claim("not a valid reference!!", "bad"));
        LineageImage app = Images.Push("registry.test/app", ["b1", "a1"], annotations: root.AsBaseClaim());
        var asked = new List<string>();

        LineageTree tree = await WalkAsync(app, new LineageOptions
        {
            IsTrustedRoot = level =>
            {
                asked.Add(level.Name);
                return level.Digest == root.Digest;
            },
        });

        Assert.Equal(LineageEnd.TrustedRoot, tree.End);
        Assert.Equal(["registry.test/app", "registry.test/base"], asked);
        Assert.Null(tree.Levels[1].Claim);
    }

    [Fact]
    public async Task A_cycle_of_claims_is_detected()
    {
        LineageImage a = Images.Push("registry.test/a", ["x"], labels: new Dictionary<string, string> { ["which"] = "a" });
        LineageImage b = Images.Push("registry.test/b", ["x"], labels: new Dictionary<string, string> { ["which"] = "b" });
        var provenance = new TableProvenance();
        provenance.Add(a, ProvenanceStatements.V1(a.Digest, ProvenanceStatements.Dependency(b)));
        provenance.Add(b, ProvenanceStatements.V1(b.Digest, ProvenanceStatements.Dependency(a)));

        LineageTree tree = await WalkAsync(a, new LineageOptions { ProvenanceSource = provenance });

        AssertFailed(tree, "SC4605");
        Assert.Equal(2, tree.Levels.Count);
    }

    [Fact]
    public async Task A_lineage_deeper_than_the_limit_fails()
    {
        LineageImage level3 = Images.Push("registry.test/l3", ["1"], annotations: Claim("scratch", null));
        LineageImage level2 = Images.Push("registry.test/l2", ["1", "2"], annotations: level3.AsBaseClaim());
        LineageImage level1 = Images.Push("registry.test/l1", ["1", "2", "3"], annotations: level2.AsBaseClaim());
        LineageImage top = Images.Push("registry.test/top", ["1", "2", "3", "4"], annotations: level1.AsBaseClaim());

        LineageTree tooDeep = await WalkAsync(top, new LineageOptions { MaxDepth = 2 });
        LineageTree exact = await WalkAsync(top, new LineageOptions { MaxDepth = 3 });

        AssertFailed(tooDeep, "SC4606");
        Assert.Equal(3, tooDeep.Levels.Count);
        Assert.Equal(LineageEnd.Scratch, exact.End);
        Assert.Equal(4, exact.Levels.Count);
    }

    [Fact]
    public async Task A_claimed_base_deleted_from_the_registry_is_a_clear_failure_not_a_pass()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["b1", "a1"], annotations: root.AsBaseClaim());
        Registry.DeleteManifest(root.Reference, root.Digest);

        LineageTree tree = await WalkAsync(app);

        AssertFailed(tree, "SC4604");
        Assert.Single(tree.Levels);
    }

    [Fact]
    public async Task A_missing_top_image_fails()
    {
        LineageTree tree = await new LineageWalker(Registry).WalkAsync(ImageReference.Parse("registry.test/nothing:1"));

        AssertFailed(tree, "SC4610");
        Assert.Empty(tree.Levels);
    }

    [Fact]
    public async Task A_registry_error_fails_the_walk_with_the_registrys_code()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["b1", "a1"], annotations: root.AsBaseClaim());
        var throttled = new ErrorCode("SC4099", ErrorCategory.ServiceFailure, "test: the registry throttled the request");
        Registry.FailRead = reference => reference.Repository == "base" ? throttled.ToException("429") : null;

        AssertFailed(await WalkAsync(app), "SC4099");
    }

    [Fact]
    public async Task A_config_that_does_not_match_its_digest_is_refused_even_if_the_client_let_it_through()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["b1", "a1"], annotations: root.AsBaseClaim());
        string configDigest = JsonDocument.Parse((await Registry.TryGetManifestAsync(root.Reference))!.Content)
            .RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        Registry.Corrupt(configDigest, """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray());

        AssertFailed(await WalkAsync(app), "SC4609");
    }

    [Fact]
    public async Task A_manifest_that_does_not_match_its_digest_is_refused()
    {
        LineageImage app = Images.Push("registry.test/app", ["a1"]);
        Registry.Corrupt(app.Digest, """{"schemaVersion":2}"""u8.ToArray());

        AssertFailed(await WalkAsync(app), "SC4609");
    }

    [Theory]
    [InlineData("SC4607", "application/vnd.oci.image.manifest.v1+json", """{"schemaVersion":2,"config":{"mediaType":"application/vnd.example.sbom","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2},"layers":[]}""")]
    [InlineData("SC4607", "application/vnd.oci.image.manifest.v1+json", """{"schemaVersion":2,"annotations":{"a":"1","a":"2"},"config":{},"layers":[]}""")]
    [InlineData("SC4607", "application/vnd.oci.image.manifest.v1+json", """[]""")]
    [InlineData("SC4607", "application/vnd.oci.image.manifest.v1+json", """{not json""")]
    [InlineData("SC4008", "application/vnd.oci.image.manifest.v1+json", """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""")]
    [InlineData("SC4008", "application/vnd.example.unknown+json", """{"schemaVersion":2}""")]
    [InlineData("SC4012", "application/vnd.oci.image.manifest.v1+json", """{"schemaVersion":2,"config":{},"layers":[]}""")]
    [InlineData("SC4012", "application/vnd.oci.image.manifest.v1+json", """{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:00","size":2},"layers":[]}""")]
    public async Task A_malformed_or_unsupported_manifest_is_refused(string code, string mediaType, string json)
    {
        LineageImage raw = Images.PushRaw("registry.test/app", mediaType, json);

        AssertFailed(await WalkAsync(raw), code);
    }

    [Theory]
    [InlineData("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""")]
    [InlineData("""{"architecture":"amd64","os":"linux","rootfs":{"type":"other","diff_ids":["sha256:1111111111111111111111111111111111111111111111111111111111111111"]}}""")]
    [InlineData("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha1:1111"]}}""")]
    [InlineData("""{"architecture":"amd64","rootfs":{"type":"layers","diff_ids":["sha256:1111111111111111111111111111111111111111111111111111111111111111"]}}""")]
    [InlineData("""{"architecture":"amd64","os":"linux","config":{"Labels":{"a":1}},"rootfs":{"type":"layers","diff_ids":["sha256:1111111111111111111111111111111111111111111111111111111111111111"]}}""")]
    public async Task A_malformed_config_or_one_whose_diff_ids_do_not_match_the_layers_is_refused(string config)
    {
        OciDescriptor blob = Images.PushBlob("registry.test/app", "application/vnd.oci.image.config.v1+json", config);
        string manifest = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{blob.Digest}}","size":{{blob.Size}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":1}]}
            """;
        LineageImage raw = Images.PushRaw("registry.test/app", "application/vnd.oci.image.manifest.v1+json", manifest);

        AssertFailed(await WalkAsync(raw), "SC4607");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Invalid_options_are_refused(int depth)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => new LineageWalker(Registry, new LineageOptions { MaxDepth = depth }));

        Assert.Equal("SC4611", ex.Code);
    }

    [Fact]
    public async Task Resolve_reads_only_the_top_image_and_not_its_claim()
    {
        LineageImage app = Images.Push("registry.test/app", ["a1"], tag: "1", annotations: Claim("registry.test/gone:1", "sha256:1111111111111111111111111111111111111111111111111111111111111111"));

        LineageTree tree = await new LineageWalker(Registry).ResolveAsync(ImageReference.Parse("registry.test/app:1"));

        Assert.Equal(LineageEnd.NotWalked, tree.End);
        Assert.Equal(app.Digest, Assert.Single(tree.Levels).Digest);
    }

    [Fact]
    public async Task The_tree_serialises_to_json_with_its_media_type()
    {
        LineageImage root = Images.Push("registry.test/base", ["b1"], tag: "1", annotations: Claim("scratch", null));
        LineageImage app = Images.Push("registry.test/app", ["b1", "a1", "a2"], tag: "2", labels: root.AsBaseClaim());

        LineageTree tree = await new LineageWalker(Registry).WalkAsync(ImageReference.Parse("registry.test/app:2"));
        using JsonDocument json = JsonDocument.Parse(tree.ToJson());

        JsonElement top = json.RootElement;
        Assert.Equal(LineageTree.MediaType, top.GetProperty("mediaType").GetString());
        Assert.Equal("Scratch", top.GetProperty("end").GetString());
        Assert.False(top.TryGetProperty("error", out _));
        JsonElement level0 = top.GetProperty("levels")[0];
        Assert.Equal(app.Digest, level0.GetProperty("digest").GetString());
        Assert.Equal(2, level0.GetProperty("layersAdded").GetInt32());
        Assert.Equal("linux/amd64", level0.GetProperty("platform").GetString());
        Assert.Equal("ConfigLabel", level0.GetProperty("baseClaim").GetProperty("source").GetString());
        Assert.Equal(root.Digest, level0.GetProperty("baseClaim").GetProperty("digest").GetString());
        Assert.Equal("scratch", top.GetProperty("levels")[1].GetProperty("baseClaim").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_failed_tree_serialises_its_error_code()
    {
        LineageTree tree = await new LineageWalker(Registry).WalkAsync(ImageReference.Parse("registry.test/nothing:1"));
        using JsonDocument json = JsonDocument.Parse(tree.ToJson());

        Assert.Equal("Failed", json.RootElement.GetProperty("end").GetString());
        Assert.Equal("SC4610", json.RootElement.GetProperty("error").GetString());
    }
}
