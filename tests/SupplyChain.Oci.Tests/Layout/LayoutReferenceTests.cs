using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Tests.Layout;

/// <summary><c>oci:PATH[:TAG][@DIGEST]</c>: the form skopeo uses, named <c>oci:/absolute/path</c> for policies.</summary>
public sealed class LayoutReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("oci:/srv/images/app", "/srv/images/app", null, null)]
    [InlineData("oci:/srv/images/app:v1", "/srv/images/app", "v1", null)]
    [InlineData("oci:/srv/images/app@" + Digest, "/srv/images/app", null, Digest)]
    [InlineData("oci:/srv/images/app:v1@" + Digest, "/srv/images/app", "v1", Digest)]
    [InlineData("oci:/srv/./images//x/../app/:v1", "/srv/images/app", "v1", null)]
    [InlineData("oci:/srv/Images With Space/App", "/srv/Images With Space/App", null, null)]
    public void Parses_paths_tags_and_digests(string text, string path, string? tag, string? digest)
    {
        ImageReference reference = ImageReference.ParseLayout(text);
        Assert.True(reference.IsLayout);
        Assert.Equal(path, reference.LayoutPath);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal("oci:" + path, reference.Registry + "/" + reference.Repository);
        Assert.Equal(reference, ImageReference.ParseLayout(reference.ToString()));
    }

    [Fact]
    public void A_relative_path_is_made_absolute_from_the_given_folder()
    {
        Assert.Equal("/work/base", ImageReference.ParseLayout("oci:../base:1", "/work/app").LayoutPath);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "layout"), ImageReference.ParseLayout("oci:layout").LayoutPath);
    }

    [Theory]
    [InlineData("oci:")]
    [InlineData("oci::v1")]
    [InlineData("oci:/srv/app:bad tag")]
    [InlineData("oci:/srv/a@b")]
    [InlineData("oci:/srv/app@sha256:abc")]
    [InlineData("oci:/")]
    [InlineData("oci:/srv/app\n")]
    [InlineData("docker.io/library/app")]
    public void Malformed_layout_references_are_SC4001(string text) =>
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.ParseLayout(text)).Code);

    [Fact]
    public void Registry_references_never_parse_as_layouts()
    {
        // Parse keeps the registry grammar: oci:/x is no registry reference, and oci:x is Docker Hub's library/oci:x.
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.Parse("oci:/srv/app")).Code);
        ImageReference hub = ImageReference.Parse("oci:x");
        Assert.False(hub.IsLayout);
        Assert.Equal("docker.io/library/oci:x", hub.ToString());
        Assert.Null(hub.LayoutPath);
    }

    [Fact]
    public void A_layout_claims_a_base_relative_to_itself_and_a_registry_image_cannot_claim_a_layout()
    {
        ImageReference child = ImageReference.ParseLayout("oci:/work/layouts/app:1");
        var claim = new BaseImageClaim("oci:../runtime:1", Digest, ClaimSource.ManifestAnnotation);
        ImageReference based = BaseImageClaimReader.BaseReference(claim, child);
        Assert.Equal("/work/layouts/runtime", based.LayoutPath);
        Assert.Equal(Digest, based.Digest);

        ImageReference hosted = ImageReference.Parse("registry.example/app:1");
        Assert.Equal("SC4065", Assert.ThrowsAny<SupplyChainException>(() => BaseImageClaimReader.BaseReference(claim, hosted)).Code);
        Assert.Equal("SC4065", Assert.ThrowsAny<SupplyChainException>(() => BaseImageClaimReader.BaseReference(new BaseImageClaim("oci:/etc", Digest, ClaimSource.ConfigLabel), hosted)).Code);

        // A layout may claim a registry base.
        Assert.Equal("registry.example/base", BaseImageClaimReader.BaseReference(new BaseImageClaim("registry.example/base:1", Digest, ClaimSource.ConfigLabel), child) is var r ? r.Registry + "/" + r.Repository : null);
    }
}
