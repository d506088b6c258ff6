using System.Diagnostics;
using Xunit.Abstractions;

namespace SupplyChain.Tuf.Tests.Conformance;

/// <summary>
/// The TUF project's conformance suite (theupdateframework/tuf-conformance: key rotations, thresholds, rollback and
/// freeze attacks, expiry, delegation graphs, consistent-snapshot layouts, quoting, static repositories made by real
/// tools), run exactly as upstream runs a client: its pytest suite over its repository simulator, starting
/// <c>tests/tuf-conformance/client</c> for every init, refresh and download.
/// </summary>
public sealed class TufConformanceSuiteTests(ITestOutputHelper output)
{
    [TufConformanceFact]
    public void The_client_passes_every_test_of_the_tuf_conformance_suite()
    {
        Assert.True(TufConformanceSuite.PythonWithCryptography is not null, "no python3 with cryptography 40 or newer: the tuf-conformance simulator cannot run (.ci/run must provide one)");
        var watch = Stopwatch.StartNew();
        (int exitCode, string log) = TufConformanceSuite.Run(TimeSpan.FromMinutes(15));
        watch.Stop();
        output.WriteLine($"tuf-conformance: exit {exitCode} after {watch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(log);

        IReadOnlyDictionary<string, int> summary = TufConformanceSuite.Summary(log);
        string tail = string.Join('\n', log.Split('\n').TakeLast(60));
        Assert.True(exitCode == 0, $"run.sh exited {exitCode}:\n{tail}");
        Assert.True(summary["failed"] == 0 && summary["error"] == 0 && summary["xpassed"] == 0, $"failures:\n{tail}");

        // Every test ran and passed, or is an expected failure listed (with its reason) in tests/tuf-conformance/client.xfails.
        Assert.Equal(TufConformanceSuite.TestCount, summary["passed"] + summary["xfailed"]);
    }

    [Theory]
    [InlineData("106 passed in 49.07s", 106, 0, 0)]
    [InlineData("=== 1 failed, 104 passed, 1 xfailed in 50.10s ===", 104, 1, 1)]
    [InlineData("2 errors, 100 passed in 3.0s", 100, 0, 0)]
    public void The_pytest_summary_is_read(string line, int passed, int failed, int xfailed)
    {
        IReadOnlyDictionary<string, int> summary = TufConformanceSuite.Summary("collected\n" + line + "\n");
        Assert.Equal((passed, failed, xfailed), (summary["passed"], summary["failed"], summary["xfailed"]));
        Assert.Equal(line.Contains("errors", StringComparison.Ordinal) ? 2 : 0, summary["error"]);
    }
}
