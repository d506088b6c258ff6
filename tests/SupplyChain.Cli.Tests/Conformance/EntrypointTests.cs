using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Conformance;

/// <summary>The entrypoint's own behaviour, independent of the verifier's completeness.</summary>
public class EntrypointTests
{
    [Fact]
    public void Entrypoint_is_executable()
    {
        Assert.True(File.Exists(EntrypointProcess.Path));
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode mode = File.GetUnixFileMode(EntrypointProcess.Path);
        Assert.True((mode & UnixFileMode.UserExecute) != 0, "tests/conformance/entrypoint must be executable");
    }

    [Fact]
    public void Sign_bundle_runs_sign_blob_and_checks_the_token_without_printing_it()
    {
        string token = "not-a-jwt-secret-value";
        CliRun run = EntrypointProcess.Run(["sign-bundle", "--identity-token", token, "--bundle", Path.Combine(Path.GetTempPath(), "never-" + Guid.NewGuid().ToString("N") + ".json"), CliRunner.QuickstartArtifact]);
        CliRunner.AssertFails(run, 2, "SC2101");
        Assert.DoesNotContain(token, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_bundle_in_toto_runs_attest_blob_with_the_statement_as_is()
    {
        // The quickstart artifact is not an in-toto statement: attest-blob --statement rejects it before any token use.
        CliRun run = EntrypointProcess.Run(["sign-bundle", "--in-toto", "--identity-token", "x", "--bundle", Path.Combine(Path.GetTempPath(), "never-" + Guid.NewGuid().ToString("N") + ".json"), CliRunner.QuickstartArtifact]);
        CliRunner.AssertFails(run, 2, "SC6008");
    }

    [Fact]
    public void Unknown_subcommand_is_a_usage_error()
    {
        CliRun run = EntrypointProcess.Run(["frobnicate"]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("SC6001: ", run.Stderr, StringComparison.Ordinal);
    }

    [SharedFixtureTheory]
    [InlineData("PATH")]
    [InlineData("DIGEST")]
    public void Malformed_bundle_case_fails_with_a_parse_code_through_the_process(string mode)
    {
        // bundle-malformed-json_fail fails at parse time, before any stubbed verification step.
        ConformanceInvocation inv = ConformanceCases.Build("bundle-malformed-json_fail", mode);
        CliRun run = EntrypointProcess.Run(["verify-bundle", .. inv.Arguments]);
        CliRunner.AssertFails(run, 2, "SC1002");
        ConformanceSuiteTests.AssertOutcome(inv, run);
    }

    [SharedFixtureFact]
    public void Unknown_bundle_version_case_fails_with_SC1007()
    {
        ConformanceInvocation inv = ConformanceCases.Build("bundle-unknown-version_fail", "PATH");
        CliRunner.AssertFails(CliRunner.Run(["verify-blob", .. inv.Arguments]), 2, "SC1007");
    }

    [Fact]
    public void Cases_member_data_never_throws()
    {
        object[][] rows = ConformanceCases.All().ToArray();
        Assert.NotEmpty(rows);
        if (TestPaths.ConformanceBundleVerify is null)
        {
            Assert.Equal(ConformanceCases.Absent, Assert.Single(rows)[0]);
        }
        else
        {
            Assert.True(rows.Length >= 2 && rows.Length % 2 == 0, $"{rows.Length} rows");
        }
    }
}
