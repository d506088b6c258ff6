using SupplyChain.Admission.Review;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Review;

/// <summary>Inputs the admission-review fuzz target found (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// An escaped lone surrogate as a property name: System.Text.Json's duplicate-name check threw InvalidOperationException
    /// out of the reader, which the webhook answered with a 500 instead of a refusal with a code.
    /// </summary>
    [Fact]
    public void A_lone_surrogate_property_name_is_SC7002()
    {
        byte[] body = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "admission-review", "lone-surrogate-property-name.json"));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => AdmissionReviewJson.Read(body));
        Assert.Equal("SC7002", ex.Code);
    }
}
