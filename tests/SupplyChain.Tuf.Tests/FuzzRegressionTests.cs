using SupplyChain.Core.Errors;
using SupplyChain.Testing;
using SupplyChain.Tuf.Metadata;

namespace SupplyChain.Tuf.Tests;

/// <summary>Inputs the tuf-metadata fuzz target found (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>An escaped lone surrogate as a property name escaped the metadata reader as InvalidOperationException.</summary>
    [Fact]
    public void A_lone_surrogate_property_name_is_SC3004()
    {
        byte[] raw = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "tuf-metadata", "lone-surrogate-property-name.json"));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => MetadataFile.Parse(raw, "root", "root.json"));
        Assert.Equal("SC3004", ex.Code);
    }
}
