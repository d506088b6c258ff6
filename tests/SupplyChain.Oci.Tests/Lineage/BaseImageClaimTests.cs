using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>Where the claim is read, which source wins, and that disagreeing or incomplete claims fail closed.</summary>
public class BaseImageClaimTests : LineageFixture
{
    private readonly LineageImage _base;

    public BaseImageClaimTests() => _base = Images.Push("registry.test/base", ["b1"], tag: "1", annotations: Claim("scratch", null));

    [Fact]
    public async Task A_manifest_annotation_is_read_and_proved()
    {
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], annotations: _base.AsBaseClaim());

        LineageTree tree = await WalkAsync(child);

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(2, tree.Levels.Count);
        Assert.Equal(ClaimSource.ManifestAnnotation, tree.Levels[0].Claim!.Source);
        Assert.Equal(_base.Digest, tree.Levels[1].Digest);
        Assert.Equal("registry.test/base", tree.Levels[1].Name);
    }

    [Fact]
    public async Task A_config_label_is_read_as_the_dotnet_sdk_writes_it()
    {
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], labels: _base.AsBaseClaim());

        LineageTree tree = await WalkAsync(child);

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(ClaimSource.ConfigLabel, tree.Levels[0].Claim!.Source);
    }

    [Fact]
    public async Task An_index_annotation_applies_to_the_platform_manifest_resolved_from_it()
    {
        LineageImage amd64 = Images.Push("registry.test/app", ["b1", "a1"]);
        LineageImage index = Images.PushIndex("registry.test/app", [(amd64, LineageOptions.DefaultPlatform)], tag: "v1", annotations: _base.AsBaseClaim());

        LineageTree tree = await WalkAsync(index);

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(amd64.Digest, tree.Levels[0].Digest);
        Assert.Equal(index.Digest, tree.Levels[0].IndexDigest);
        Assert.Equal(ClaimSource.IndexAnnotation, tree.Levels[0].Claim!.Source);
    }

    [Fact]
    public async Task When_sources_agree_the_manifest_annotation_is_reported()
    {
        LineageImage amd64 = Images.Push("registry.test/app", ["b1", "a1"], annotations: _base.AsBaseClaim(), labels: _base.AsBaseClaim());
        LineageImage index = Images.PushIndex("registry.test/app", [(amd64, LineageOptions.DefaultPlatform)], annotations: _base.AsBaseClaim());

        LineageTree tree = await WalkAsync(index);

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(ClaimSource.ManifestAnnotation, tree.Levels[0].Claim!.Source);
    }

    [Fact]
    public async Task Index_annotations_take_precedence_over_config_labels_when_both_agree()
    {
        LineageImage amd64 = Images.Push("registry.test/app", ["b1", "a1"], labels: _base.AsBaseClaim());
        LineageImage index = Images.PushIndex("registry.test/app", [(amd64, LineageOptions.DefaultPlatform)], annotations: _base.AsBaseClaim());

        LineageTree tree = await WalkAsync(index);

        Assert.Equal(ClaimSource.IndexAnnotation, tree.Levels[0].Claim!.Source);
    }

    [Fact]
    public async Task A_manifest_annotation_and_a_config_label_naming_different_bases_conflict()
    {
        LineageImage other = Images.Push("registry.test/other", ["b1"], tag: "2");
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], annotations: _base.AsBaseClaim(), labels: other.AsBaseClaim());

        AssertFailed(await WalkAsync(child), "SC4601");
    }

    [Fact]
    public async Task An_index_annotation_disagreeing_with_the_manifest_conflicts()
    {
        LineageImage other = Images.Push("registry.test/other", ["b1"]);
        LineageImage amd64 = Images.Push("registry.test/app", ["b1", "a1"], annotations: _base.AsBaseClaim());
        LineageImage index = Images.PushIndex("registry.test/app", [(amd64, LineageOptions.DefaultPlatform)], annotations: other.AsBaseClaim());

        AssertFailed(await WalkAsync(index), "SC4601");
    }

    [Fact]
    public async Task A_scratch_declaration_disagreeing_with_a_real_base_conflicts()
    {
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], annotations: _base.AsBaseClaim(), labels: Claim("scratch", null));

        AssertFailed(await WalkAsync(child), "SC4601");
    }

    [Fact]
    public async Task Provenance_is_the_lowest_precedence_source_and_must_agree_too()
    {
        LineageImage other = Images.Push("registry.test/other", ["b1"]);
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], annotations: _base.AsBaseClaim());
        var provenance = new TableProvenance();
        provenance.Add(child, ProvenanceStatements.V1(child.Digest, ProvenanceStatements.Dependency(other)));

        AssertFailed(await WalkAsync(child, new LineageOptions { ProvenanceSource = provenance }), "SC4601");
    }

    [Fact]
    public async Task Provenance_alone_is_a_claim_and_is_proved_like_the_others()
    {
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"]);
        var provenance = new TableProvenance();
        provenance.Add(child, ProvenanceStatements.V1(child.Digest, ProvenanceStatements.Dependency(_base)));

        LineageTree tree = await WalkAsync(child, new LineageOptions { ProvenanceSource = provenance });

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(ClaimSource.Provenance, tree.Levels[0].Claim!.Source);
        Assert.Equal(1, tree.Levels[0].LayersAdded);
    }

    [Theory]
    [InlineData("registry.test/base:1", null)]
    [InlineData(null, "sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("registry.test/base:1", "sha256:1234")]
    [InlineData("registry.test/base:1", "md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("Not A Reference!", "sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task An_incomplete_or_malformed_claim_fails_as_malformed(string? name, string? digest)
    {
        var annotations = new Dictionary<string, string>();
        if (name is not null)
        {
            annotations[BaseImageClaim.NameKey] = name;
        }

        if (digest is not null)
        {
            annotations[BaseImageClaim.DigestKey] = digest;
        }

        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], annotations: annotations);

        AssertFailed(await WalkAsync(child), "SC4602");
    }

    [Fact]
    public async Task A_base_name_carrying_another_digest_than_the_claim_is_malformed()
    {
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], annotations: Claim(
            "registry.test/base@sha256:1111111111111111111111111111111111111111111111111111111111111111", _base.Digest));

        AssertFailed(await WalkAsync(child), "SC4602");
    }

    [Fact]
    public async Task Docker_schema_2_manifests_and_configs_are_read_the_same_way()
    {
        LineageImage dockerBase = Images.Push("registry.test/base", ["b1"], docker: true, annotations: Claim("scratch", null));
        LineageImage child = Images.Push("registry.test/app", ["b1", "a1"], docker: true, labels: dockerBase.AsBaseClaim());

        LineageTree tree = await WalkAsync(child);

        Assert.Equal(LineageEnd.Scratch, tree.End);
        Assert.Equal(dockerBase.Digest, tree.Levels[1].Digest);
    }

    [Fact]
    public async Task An_image_without_any_claim_ends_the_walk_and_reports_its_platform()
    {
        var arm = new OciPlatform("linux", "arm64", "v8");
        LineageImage child = Images.Push("registry.test/app", ["a1"], platform: arm);

        LineageTree tree = await WalkAsync(child);

        Assert.Equal(arm, tree.Levels[0].Platform);
        Assert.Equal(LineageEnd.NoClaim, tree.End);
        Assert.Null(tree.Levels[0].Claim);
        Assert.Equal(1, tree.Levels[0].LayersAdded);
    }
}
