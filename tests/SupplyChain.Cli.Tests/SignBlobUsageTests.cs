using System.Text;

namespace SupplyChain.Cli.Tests;

/// <summary>Command-line handling of sign-blob (no network: every case fails before a service is called).</summary>
public class SignBlobUsageTests
{
    private static string Artifact => CliRunner.QuickstartArtifact;

    private static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Jwt(string claims) => B64Url("{\"alg\":\"none\"}") + "." + B64Url(claims) + ".c2ln";

    [Fact]
    public void Rekor_version_3_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("sign-blob", Artifact, "--bundle", "out.json", "--identity-token", Jwt("{\"iss\":\"i\",\"sub\":\"s\"}"), "--rekor-version", "3"), 2, "SC6001");

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public void A_malformed_token_is_SC2101_and_writes_nothing(string token)
    {
        string output = Path.Combine(Path.GetTempPath(), "sc-sign-" + Guid.NewGuid().ToString("N") + ".json");
        CliRun run = CliRunner.Run("sign-blob", Artifact, "--bundle", output, "--identity-token", token);
        CliRunner.AssertFails(run, 2, "SC2101");
        Assert.DoesNotContain(token, run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_token_without_subject_is_SC2101() =>
        CliRunner.AssertFails(CliRunner.Run("sign-blob", Artifact, "--bundle", "out.json", "--identity-token", Jwt("{\"iss\":\"https://issuer\",\"aud\":\"sigstore\",\"exp\":4000000000}")), 2, "SC2101");

    [Fact]
    public void A_missing_artifact_is_SC6002() =>
        CliRunner.AssertFails(CliRunner.Run("sign-blob", "/nonexistent/file", "--bundle", "out.json", "--identity-token", Jwt("{\"iss\":\"i\",\"sub\":\"s\"}")), 2, "SC6002");
}
