using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>Inputs the image-reference fuzz target found (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// "C/0" named the registry host "C" (Docker reads an uppercase first component as a host) and was normalised to
    /// registry "c", which ToString wrote as "c/0:latest": Docker Hub's docker.io/c/0. The printed reference named
    /// another image than the parsed one; such references are now refused.
    /// </summary>
    [Theory]
    [InlineData("uppercase-single-label-registry.txt")]
    [InlineData("uppercase-single-label-registry-with-tag.txt")]
    [InlineData("uppercase-hex-host.txt")]
    public void A_registry_told_from_a_namespace_only_by_case_is_SC4001(string name)
    {
        string text = File.ReadAllText(Path.Combine(TestPaths.TestData, "fuzz-regressions", "image-reference", name));
        Assert.False(ImageReference.TryParse(text, out _));
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => ImageReference.Parse(text)).Code);
    }

    [Theory]
    [InlineData("LOCALHOST/app", "localhost/app:latest")]
    [InlineData("Registry.Example/app", "registry.example/app:latest")]
    [InlineData("Host:5000/app", "host:5000/app:latest")]
    public void An_uppercase_registry_that_still_reads_as_one_round_trips(string text, string expected)
    {
        ImageReference reference = ImageReference.Parse(text);
        Assert.Equal(expected, reference.ToString());
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
    }
}
