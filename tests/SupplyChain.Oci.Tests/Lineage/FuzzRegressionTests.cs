using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>Inputs the oci-manifest, oci-index and image-config fuzz targets found (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    private static byte[] Input(string target, string name) =>
        File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", target, name));

    /// <summary>
    /// An escaped lone surrogate as a property name: the lineage reader's duplicate-key preflight threw
    /// InvalidOperationException out of the walk instead of SC4607.
    /// </summary>
    [Fact]
    public void A_lone_surrogate_property_name_is_SC4607_in_manifests_indexes_and_configs()
    {
        var descriptor = new OciDescriptor(OciMediaTypes.ImageManifest, "sha256:" + new string('0', 64), 12);
        byte[] manifest = Input("oci-manifest", "lone-surrogate-property-name.json");
        byte[] index = Input("oci-index", "lone-surrogate-property-name.json");
        byte[] config = Input("image-config", "lone-surrogate-property-name.json");
        Assert.Equal("SC4607", Assert.ThrowsAny<SupplyChainException>(() => ImageDocuments.ParseManifest(new FetchedManifest(descriptor, manifest))).Code);
        Assert.Equal("SC4607", Assert.ThrowsAny<SupplyChainException>(() => ImageDocuments.ParseIndex(new FetchedManifest(descriptor with { MediaType = OciMediaTypes.ImageIndex }, index))).Code);
        Assert.Equal("SC4607", Assert.ThrowsAny<SupplyChainException>(() => ImageDocuments.ParseConfig(config)).Code);
    }

    /// <summary>
    /// A config string that is not UTF-8 (found by fuzzing image-config: <c>"os":"linu\x95"</c>) or whose escape does not
    /// decode (<c>"\ud800"</c>): System.Text.Json threw InvalidOperationException when the lineage reader read it.
    /// </summary>
    [Theory]
    [InlineData("os-invalid-utf8.json")]
    [InlineData("os-lone-surrogate-escape.json")]
    [InlineData("diff-id-lone-surrogate-escape.json")]
    public void A_config_string_that_does_not_decode_is_SC4607(string name)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImageDocuments.ParseConfig(Input("image-config", name)));
        Assert.Equal("SC4607", ex.Code);
    }
}
