using System.Reflection;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests;

public class CliAppTests
{
    [Fact]
    public async Task Unexpected_exception_is_SC6099_exit_70_without_stack_trace()
    {
        using var stderr = new StringWriter();
        int exit = await CliApp.GuardedAsync(() => throw new InvalidOperationException("boom"), stderr, debug: false);
        Assert.Equal(70, exit);
        Assert.StartsWith("SC6099: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unexpected_exception_with_debug_has_the_stack_trace()
    {
        using var stderr = new StringWriter();
        int exit = await CliApp.GuardedAsync(() => throw new InvalidOperationException("boom"), stderr, debug: true);
        Assert.Equal(70, exit);
        Assert.StartsWith("SC6099: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ErrorCategory.VerificationFailed, 1)]
    [InlineData(ErrorCategory.MalformedInput, 2)]
    [InlineData(ErrorCategory.TrustRootOrConfiguration, 3)]
    [InlineData(ErrorCategory.ServiceFailure, 4)]
    public async Task Library_errors_exit_with_their_category_code(ErrorCategory category, int expected)
    {
        var code = new ErrorCode("SC1999", category, "test");
        using var stderr = new StringWriter();
        Assert.Equal(expected, await CliApp.GuardedAsync(() => throw code.ToException("detail"), stderr, debug: false));
        Assert.StartsWith("SC1999: test: detail", stderr.ToString(), StringComparison.Ordinal);
    }

    public static IEnumerable<ErrorCode> AllCliCodes() =>
        typeof(CliErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!);

    [Fact]
    public async Task A_failure_after_cancellation_is_SC8120_exit_130_whatever_the_exception()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        foreach (Exception failure in new Exception[] { new OperationCanceledException(cancelled.Token), new ErrorCode("SC1999", ErrorCategory.ServiceFailure, "timed out").ToException("detail"), new IOException("broken pipe") })
        {
            using var stderr = new StringWriter();
            Assert.Equal(130, await CliApp.GuardedAsync(() => throw failure, stderr, debug: false, cancelled.Token));
            Assert.Equal("SC8120: cancelled (Ctrl-C or SIGTERM)" + Environment.NewLine, stderr.ToString());
        }
    }

    [Fact]
    public async Task A_command_that_returns_after_cancellation_keeps_its_exit_code()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var stderr = new StringWriter();
        Assert.Equal(0, await CliApp.GuardedAsync(() => Task.FromResult(0), stderr, debug: false, cancelled.Token));
        Assert.Equal(string.Empty, stderr.ToString());
    }

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
            Assert.Matches("^SC(6[0-9]{3}|812[0-9])$", code.Code);
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
