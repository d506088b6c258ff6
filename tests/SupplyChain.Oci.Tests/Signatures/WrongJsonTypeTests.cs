using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>
/// The source-generated DTO readers of signature manifests, simple signing payloads and image configs: a member of the
/// wrong JSON type is the reader's own code, never another exception and never silently skipped.
/// </summary>
public sealed class WrongJsonTypeTests
{
    private const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    [Theory]
    [InlineData("{\"layers\":[{\"mediaType\":\"a/b\",\"digest\":\"" + Digest + "\",\"size\":\"12\"}]}")]
    [InlineData("{\"layers\":[{\"mediaType\":\"a/b\",\"digest\":\"" + Digest + "\",\"size\":1.5}]}")]
    [InlineData("{\"layers\":[{\"mediaType\":7,\"digest\":\"" + Digest + "\",\"size\":1}]}")]
    [InlineData("{\"layers\":[{\"mediaType\":\"a/b\",\"digest\":\"" + Digest + "\",\"size\":1,\"annotations\":{\"k\":1}}]}")]
    [InlineData("{\"layers\":[{\"mediaType\":\"a/b\",\"digest\":\"" + Digest + "\",\"size\":1,\"annotations\":{\"dev.sigstore.cosign/certificate\":null}}]}")]
    [InlineData("{\"annotations\":{\"dev.sigstore.bundle.predicateType\":null}}")]
    [InlineData("{\"artifactType\":\"\\ud800\"}")]
    [InlineData("{\"annotations\":{\"k\":\"\\ud800\"}}")]
    [InlineData("{\"layers\":[null]}")]
    [InlineData("{\"layers\":{}}")]
    [InlineData("{\"annotations\":[]}")]
    [InlineData("{\"subject\":\"" + Digest + "\"}")]
    [InlineData("{\"artifactType\":false}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"config\":null}")] // an explicit null is not an absent member (the DTO alone reads it so)
    [InlineData("{\"schemaVersion\":2,\"layers\":null}")]
    [InlineData("{\"manifests\":null}")]
    [InlineData("{\"layers\":[],\"subject\":null}")]
    [InlineData("{\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" + Digest + "\",\"size\":0},\"layers\":[],\"subject\":null}")]
    public void A_signature_manifest_member_of_the_wrong_type_is_SC4404(string json)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ManifestDocument.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("SC4404", ex.Code);
    }

    [Fact]
    public void Absent_descriptor_members_and_null_members_elsewhere_stay_absent()
    {
        ManifestDocument document = ManifestDocument.Parse(Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"layers\":[],\"annotations\":{\"config\":\"null\"},\"x\":{\"subject\":null}}"));
        Assert.Null(document.Config);
        Assert.Null(document.Subject);
        Assert.Empty(document.Layers);
        Assert.Empty(document.Manifests);
    }

    [Theory]
    [InlineData("{\"critical\":{\"type\":7,\"image\":{\"docker-manifest-digest\":\"" + Digest + "\"}}}")]
    [InlineData("{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":[]}}}")]
    [InlineData("{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":\"\\ud800\"}}}")]
    [InlineData("{\"critical\":[]}")]
    [InlineData("{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":\"" + Digest + "\"}}} {}")]
    [InlineData("null")]
    public void A_simple_signing_member_of_the_wrong_type_or_trailing_data_is_SC4405(string json)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => SimpleSigningPayload.ReadDigest(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("SC4405", ex.Code);
    }

    [Fact]
    public void A_simple_signing_payload_with_an_optional_section_of_any_shape_is_read()
    {
        string json = "{\"critical\":{\"identity\":{\"docker-reference\":\"r/a\"},\"image\":{\"docker-manifest-digest\":\"" + Digest + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"any\":[1,{\"x\":null}]}}";
        Assert.Equal(Digest, SimpleSigningPayload.ReadDigest(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("{\"os\":7,\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[1]}}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":{}}}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":[],\"config\":{}}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Labels\":{\"a\":true}}}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Labels\":{\"a\":\"1\",\"a\":\"2\"}}}")]
    [InlineData("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Labels\":{\"org.opencontainers.image.base.digest\":null,\"org.opencontainers.image.base.name\":null}}}")]
    [InlineData("{\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")]
    public void An_image_config_member_of_the_wrong_type_is_SC4607(string json)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImageDocuments.ParseConfig(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("SC4607", ex.Code);
    }

    [Fact]
    public void An_image_config_is_read_with_its_labels()
    {
        string json = "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\",\"history\":[{\"created_by\":\"x\"}],\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest + "\"]},\"config\":{\"Env\":[\"A=1\"],\"Labels\":{\"a\":\"1\"}}}";
        ImageConfigDocument config = ImageDocuments.ParseConfig(Encoding.UTF8.GetBytes(json));
        Assert.Equal([Digest], config.DiffIds);
        Assert.Equal("arm64", config.Platform.Architecture);
        Assert.Equal("v8", config.Platform.Variant);
        Assert.Equal("1", config.Labels["a"]);
    }
}
