using System.Text;

namespace SupplyChain.Cli.Tests;

/// <summary>Command-line handling of sign-blob (no network: every case fails before a service is called).</summary>
public class SignBlobUsageTests
{
    private static string Artifact => CliRunner.QuickstartArtifact;

    private static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Jwt(string claims) => B64Url("{\"alg\":\"none\"}") + "." + B64Url(claims) + ".c2ln";

    [Fact]
    public void Missing_identity_token_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("sign-blob", Artifact, "--bundle", Path.Combine(Path.GetTempPath(), "never.json")), 2, "SC6001");

    [Fact]
    public void Rekor_version_3_is_a_usage_error() =>
        CliRunner.AssertFails(CliRunner.Run("sign-blob", Artifact, "--bundle", "out.json", "--identity-token", Jwt("{\"iss\":\"i\",\"sub\":\"s\"}"), "--rekor-version", "3"), 2, "SC6001");

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public void A_malformed_token_is_SC6006_and_writes_nothing(string token)
    {
        string output = Path.Combine(Path.GetTempPath(), "sc-sign-" + Guid.NewGuid().ToString("N") + ".json");
        CliRun run = CliRunner.Run("sign-blob", Artifact, "--bundle", output, "--identity-token", token);
        CliRunner.AssertFails(run, 2, "SC6006");
        Assert.DoesNotContain(token, run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_token_without_subject_is_SC6006() =>
        CliRunner.AssertFails(CliRunner.Run("sign-blob", Artifact, "--bundle", "out.json", "--identity-token", Jwt("{\"iss\":\"https://issuer\"}")), 2, "SC6006");

    [Fact]
    public void Token_claims_are_read_with_email_preferred()
    {
        var token = SignBlobCommand.ParseToken(Jwt("{\"iss\":\"https://accounts.example\",\"sub\":\"123\",\"email\":\"a@example.com\",\"aud\":[\"sigstore\"],\"exp\":2000000000}"));
        Assert.Equal("https://accounts.example", token.Issuer);
        Assert.Equal("a@example.com", token.Subject);
        Assert.Equal(["sigstore"], token.Audiences);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(2000000000), token.ExpiresAt);
        Assert.DoesNotContain("c2ln", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_artifact_is_SC6002() =>
        CliRunner.AssertFails(CliRunner.Run("sign-blob", "/nonexistent/file", "--bundle", "out.json", "--identity-token", Jwt("{\"iss\":\"i\",\"sub\":\"s\"}")), 2, "SC6002");
}
