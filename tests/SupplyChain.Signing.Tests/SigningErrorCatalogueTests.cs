using System.Reflection;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests;

public class SigningErrorCatalogueTests
{
    private static IEnumerable<ErrorCode> AllCodes() =>
        typeof(SigningErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!);

    [Fact]
    public void Every_signing_code_is_unique_in_the_SC2xxx_range_and_listed_in_docs_errors_md()
    {
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "errors.md"));
        var codes = AllCodes().ToList();
        Assert.Equal(codes.Count, codes.Select(c => c.Code).Distinct().Count());
        foreach (ErrorCode code in codes)
        {
            Assert.Matches("^SC2[0-9]{3}$", code.Code);
            Assert.Contains($"| `{code.Code}` |", doc, StringComparison.Ordinal);
        }
    }
}
