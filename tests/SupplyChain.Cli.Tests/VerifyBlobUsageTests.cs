namespace SupplyChain.Cli.Tests;

/// <summary>Command-line handling of verify-blob: usage errors are SC6001 and exit 2.</summary>
public class VerifyBlobUsageTests
{
    private static string Bundle => CliRunner.QuickstartBundle;

    private static string Artifact => CliRunner.QuickstartArtifact;

    [Fact]
    public void No_command_is_a_usage_error() => CliRunner.AssertFails(CliRunner.Run(), 2, "SC6001");

    [Fact]
    public void Unknown_command_is_a_usage_error() => CliRunner.AssertFails(CliRunner.Run("verify-everything"), 2, "SC6001");

    [Fact]
    public void Missing_bundle_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--certificate-identity", "a", "--certificate-oidc-issuer", "b"), 2, "SC6001");

    [Fact]
    public void Missing_artifact_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", "--bundle", Bundle, "--certificate-identity", "a", "--certificate-oidc-issuer", "b"), 2, "SC6001");

    [Fact]
    public void Identity_and_identity_regexp_together_are_a_usage_error() =>
        CliRunner.AssertFails(
            CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--certificate-identity", "a", "--certificate-identity-regexp", "a.*", "--certificate-oidc-issuer", "b"),
            2,
            "SC6001");

    [Fact]
    public void Issuer_and_issuer_regexp_together_are_a_usage_error() =>
        CliRunner.AssertFails(
            CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--certificate-identity", "a", "--certificate-oidc-issuer", "b", "--certificate-oidc-issuer-regexp", "b.*"),
            2,
            "SC6001");

    [Fact]
    public void Missing_issuer_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--certificate-identity", "a"), 2, "SC6001");

    [Fact]
    public void Missing_identity_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--certificate-oidc-issuer", "b"), 2, "SC6001");

    [Fact]
    public void Empty_identity_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--certificate-identity", "", "--certificate-oidc-issuer", "b"), 2, "SC6001");

    [Fact]
    public void Key_with_identity_flags_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--key", "k.pub", "--certificate-identity", "a", "--certificate-oidc-issuer", "b"), 2, "SC6001");

    [Fact]
    public void Insecure_ignore_identity_with_identity_flags_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--insecure-ignore-identity", "--certificate-identity", "a", "--certificate-oidc-issuer", "b"), 2, "SC6001");

    [Fact]
    public void Insecure_ignore_identity_with_key_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--insecure-ignore-identity", "--key", "k.pub"), 2, "SC6001");

    [Fact]
    public void Unknown_output_format_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--key", "k.pub", "--output", "xml"), 2, "SC6001");

    [Fact]
    public void Unknown_option_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--key", "k.pub", "--certificate", "c.pem"), 2, "SC6001");

    [Fact]
    public void Usage_errors_are_one_line()
    {
        CliRun run = CliRunner.Run("verify-blob", Artifact, "--bundle", Bundle, "--key", "k.pub", "--output", "xml");
        CliRunner.AssertFails(run, 2, "SC6001");
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Help_lists_every_flag_and_exits_0()
    {
        CliRun run = CliRunner.Run("verify-blob", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string flag in new[]
        {
            "--bundle", "--certificate-identity", "--certificate-identity-regexp", "--certificate-oidc-issuer", "--certificate-oidc-issuer-regexp",
            "--key", "--trusted-root", "--staging", "--output", "--insecure-ignore-identity", "--debug",
        })
        {
            Assert.Contains(flag, run.Stdout, StringComparison.Ordinal);
        }
    }
}
