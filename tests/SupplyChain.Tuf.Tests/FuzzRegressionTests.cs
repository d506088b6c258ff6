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

    /// <summary>
    /// Strings that do not decode: bytes that are not UTF-8 in a target name, an unpaired surrogate escape as
    /// <c>_type</c> or a signature's keyid. System.Text.Json checks a string only when it is read, so the reader threw
    /// InvalidOperationException (found by probing the tuf-metadata target with the image-config finding's input class).
    /// </summary>
    [Theory]
    [InlineData("target-name-invalid-utf8.json", "targets")]
    [InlineData("type-lone-surrogate-escape.json", "timestamp")]
    [InlineData("signature-keyid-lone-surrogate-escape.json", "root")]
    public void A_string_that_does_not_decode_is_SC3004(string file, string role)
    {
        byte[] raw = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "tuf-metadata", file));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => MetadataFile.Parse(raw, role, role + ".json"));
        Assert.Equal("SC3004", ex.Code);
    }
}
