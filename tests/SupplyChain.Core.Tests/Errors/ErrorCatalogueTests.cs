using System.Reflection;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Errors;

public class ErrorCatalogueTests
{
    public static IEnumerable<ErrorCode> AllCoreCodes() =>
        typeof(CoreErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!);

    [Fact]
    public void Every_core_code_is_unique_and_in_the_SC1xxx_range()
    {
        var codes = AllCoreCodes().ToList();
        Assert.True(codes.Count > 50, $"only {codes.Count} codes found by reflection");
        Assert.Equal(codes.Count, codes.Select(c => c.Code).Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^SC1[0-9]{3}$", c.Code));
    }

    [Fact]
    public void Every_core_code_is_listed_in_docs_errors_md_with_its_category()
    {
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "errors.md"));
        foreach (ErrorCode code in AllCoreCodes())
        {
            string category = code.Category switch
            {
                ErrorCategory.VerificationFailed => "verification failed",
                ErrorCategory.MalformedInput => "malformed input",
                ErrorCategory.TrustRootOrConfiguration => "trust root / configuration",
                _ => "service failure",
            };
            Assert.Contains($"| `{code.Code}` | {category} |", doc, StringComparison.Ordinal);
        }
    }

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
