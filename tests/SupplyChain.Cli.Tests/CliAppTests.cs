using System.Reflection;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests;

public class CliAppTests
{
    [Fact]
    public void Unexpected_exception_is_SC6099_exit_70_without_stack_trace()
    {
        using var stderr = new StringWriter();
        int exit = CliApp.Guarded(() => throw new InvalidOperationException("boom"), stderr, debug: false);
        Assert.Equal(70, exit);
        Assert.StartsWith("SC6099: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unexpected_exception_with_debug_has_the_stack_trace()
    {
        using var stderr = new StringWriter();
        int exit = CliApp.Guarded(() => throw new InvalidOperationException("boom"), stderr, debug: true);
        Assert.Equal(70, exit);
        Assert.StartsWith("SC6099: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ErrorCategory.VerificationFailed, 1)]
    [InlineData(ErrorCategory.MalformedInput, 2)]
    [InlineData(ErrorCategory.TrustRootOrConfiguration, 3)]
    [InlineData(ErrorCategory.ServiceFailure, 4)]
    public void Library_errors_exit_with_their_category_code(ErrorCategory category, int expected)
    {
        var code = new ErrorCode("SC1999", category, "test");
        using var stderr = new StringWriter();
        Assert.Equal(expected, CliApp.Guarded(() => throw code.ToException("detail"), stderr, debug: false));
        Assert.StartsWith("SC1999: test: detail", stderr.ToString(), StringComparison.Ordinal);
    }

    public static IEnumerable<ErrorCode> AllCliCodes() =>
        typeof(CliErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!);

    [Fact]
    public void Every_cli_code_is_unique_in_the_SC6xxx_range_and_listed_in_docs_errors_md()
    {
        var codes = AllCliCodes().ToList();
        Assert.True(codes.Count >= 4);
        Assert.Equal(codes.Count, codes.Select(c => c.Code).Distinct().Count());
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "errors.md"));
        string cliSection = doc[doc.IndexOf("## CLI (SC6xxx)", StringComparison.Ordinal)..];
        foreach (ErrorCode code in codes)
        {
            Assert.Matches("^SC6[0-9]{3}$", code.Code);
            string category = code.Category switch
            {
                ErrorCategory.VerificationFailed => "verification failed",
                ErrorCategory.MalformedInput => "malformed input",
                ErrorCategory.TrustRootOrConfiguration => "trust root / configuration",
                _ => "service failure",
            };
            Assert.Contains($"| `{code.Code}` | {category} |", cliSection, StringComparison.Ordinal);
        }
    }
}
