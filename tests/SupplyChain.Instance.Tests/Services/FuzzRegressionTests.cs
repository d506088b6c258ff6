using SupplyChain.Core.Errors;
using SupplyChain.Instance.Http;
using SupplyChain.Testing;

namespace SupplyChain.Instance.Tests.Services;

/// <summary>Inputs the instance-http fuzz target found (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    private static byte[] Input(string name) =>
        File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "instance-http", name));

    /// <summary>
    /// An escaped lone surrogate as a property name: the request reader's duplicate-name check threw
    /// InvalidOperationException, which the server answered with a 500. (The first byte of the input picks the
    /// fuzz target's endpoint; the body follows it.)
    /// </summary>
    [Fact]
    public void A_lone_surrogate_property_name_is_SC8010()
    {
        byte[] body = Input("lone-surrogate-property-name.bin")[1..];
        var ex = Assert.ThrowsAny<SupplyChainException>(() => RequestJson.Parse(body));
        Assert.Equal("SC8010", ex.Code);
    }
}
