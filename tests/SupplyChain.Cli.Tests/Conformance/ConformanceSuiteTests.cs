using System.Diagnostics;
using SupplyChain.Testing;
using Xunit.Abstractions;

namespace SupplyChain.Cli.Tests.Conformance;

/// <summary>
/// The Sigstore conformance bundle-verify suite, every case x {PATH, DIGEST}: through the
/// tests/conformance/entrypoint process exactly as the upstream harness runs it, and in-process through
/// <see cref="CliApp.RunAsync"/> (fast, same expectations).
/// </summary>
public class ConformanceSuiteTests(ITestOutputHelper output)
{
    [SharedFixtureTheory]
    [ConformanceCasesData]
    public void Entrypoint_process(string caseName, string mode)
    {
        ConformanceInvocation inv = Build(caseName, mode);
        var watch = Stopwatch.StartNew();
        CliRun run = EntrypointProcess.Run(["verify-bundle", .. inv.Arguments]);
        output.WriteLine($"{caseName} {mode}: {watch.ElapsedMilliseconds} ms");
        AssertOutcome(inv, run);
    }

    [SharedFixtureTheory]
    [ConformanceCasesData]
    public void In_process(string caseName, string mode)
    {
        ConformanceInvocation inv = Build(caseName, mode);
        CliRun run = CliRunner.Run(["verify-blob", .. inv.Arguments]);
        AssertOutcome(inv, run);
    }

    internal static void AssertOutcome(ConformanceInvocation inv, CliRun run)
    {
        string what = $"{inv.CaseName} [{inv.Mode}] signcli verify-blob {string.Join(' ', inv.Arguments)}\n{run}";
        if (inv.MustVerify)
        {
            Assert.True(run.ExitCode == 0, "must verify: " + what);
        }
        else
        {
            Assert.True(run.ExitCode != 0, "must fail: " + what);
            Assert.True(run.ExitCode != ExitCodes.InternalError, "must fail with a code, not an unhandled exception: " + what);
            Assert.True(run.Code is not null, "stderr must start with an SC code: " + what);
        }
    }

    private static ConformanceInvocation Build(string caseName, string mode)
    {
        Assert.True(caseName != ConformanceCases.Absent && TestPaths.ConformanceBundleVerify is not null,
            "the shared conformance folder (../shared/conformance or $SUPPLYCHAIN_SHARED) is absent; under CI=true this is a failure");
        return ConformanceCases.Build(caseName, mode);
    }
}
