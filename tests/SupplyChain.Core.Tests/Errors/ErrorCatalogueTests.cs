using SupplyChain.Core.Errors;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Core.Tests.Errors;

public class ErrorCatalogueTests
{
    [Fact]
    public void Every_core_code_is_unique_in_the_SC1xxx_range_and_listed_in_docs_errors_md_with_its_category() =>
        Assert.True(ApiAndErrorChecks.AssertErrorCodesCatalogued(typeof(CoreErrors), "^SC1[0-9]{3}$") > 50);

    [Fact]
    public void ToException_picks_the_exception_type_of_the_category()
    {
        Assert.IsType<VerificationFailedException>(CoreErrors.SignatureInvalid.ToException());
        Assert.IsType<MalformedInputException>(CoreErrors.BundleMalformedJson.ToException());
        Assert.IsType<TrustRootException>(CoreErrors.TrustedRootMalformed.ToException());
        SupplyChainException ex = CoreErrors.SignatureInvalid.ToException("detail");
        Assert.Equal("SC1501", ex.Code);
        Assert.StartsWith("SC1501: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SC10")]
    [InlineData("XX1001")]
    [InlineData("SC10a1")]
    public void Malformed_codes_are_refused(string code) =>
        Assert.Throws<ArgumentException>(() => new ErrorCode(code, ErrorCategory.MalformedInput, "x"));
}
