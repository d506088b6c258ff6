using System.Text.Json;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// verify-blob over the quickstart bundle (testdata/quickstart, the conformance happy-path-v0.3 case) with
/// the embedded production root. Skipped outside CI while the Core verifier is still partly stubbed.
/// </summary>
public class VerifyBlobEndToEndTests
{
    private static CliRun Verify(params string[] extra) =>
        CliRunner.Run(["verify-blob", CliRunner.QuickstartArtifact, "--bundle", CliRunner.QuickstartBundle, .. extra]);

    private static readonly string[] Identity = ["--certificate-identity", CliRunner.BeaconIdentity, "--certificate-oidc-issuer", CliRunner.GitHubIssuer];

    [Fact]
    public void Text_output_prints_Verified_OK_and_the_identity_on_stderr()
    {
        CliRun run = Verify(Identity);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Verified OK", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(CliRunner.BeaconIdentity, run.Stderr, StringComparison.Ordinal);
        Assert.Contains(CliRunner.GitHubIssuer, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("verified time:", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.DoesNotContain("BEGIN CERTIFICATE", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_is_the_verification_result_on_stdout()
    {
        CliRun run = Verify([.. Identity, "--output", "json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument doc = JsonDocument.Parse(run.Stdout);
        JsonElement root = doc.RootElement;
        Assert.Equal("application/vnd.supplychain.verification-result.v1+json", root.GetProperty("mediaType").GetString());
        Assert.True(root.GetProperty("verified").GetBoolean());
        Assert.True(root.GetProperty("identityChecked").GetBoolean());
        Assert.Equal(CliRunner.BeaconIdentity, root.GetProperty("signer").GetProperty("subjectAlternativeName").GetString());
        Assert.Equal(CliRunner.GitHubIssuer, root.GetProperty("signer").GetProperty("issuer").GetString());
        Assert.NotEqual(0, root.GetProperty("verifiedTimes").GetArrayLength());
        Assert.NotEqual(0, root.GetProperty("transparencyLogEntries").GetArrayLength());
    }

    [Fact]
    public void Digest_artifact_verifies()
    {
        CliRun run = CliRunner.Run(["verify-blob", "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", "--bundle", CliRunner.QuickstartBundle, .. Identity]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void Wrong_identity_is_exit_1_SC1601() =>
        CliRunner.AssertFails(Verify("--certificate-identity", "https://github.com/someone/else", "--certificate-oidc-issuer", CliRunner.GitHubIssuer), 1, "SC1601");

    [Fact]
    public void Wrong_issuer_is_exit_1_SC1602() =>
        CliRunner.AssertFails(Verify("--certificate-identity", CliRunner.BeaconIdentity, "--certificate-oidc-issuer", "https://accounts.google.com"), 1, "SC1602");

    [Fact]
    public void Identity_regexp_is_anchored_unlike_cosign()
    {
        // cosign's unanchored regexp would accept this prefix; ours must match the whole SAN.
        CliRunner.AssertFails(Verify("--certificate-identity-regexp", "https://github.com/sigstore-conformance/", "--certificate-oidc-issuer", CliRunner.GitHubIssuer), 1, "SC1601");
        CliRun run = Verify("--certificate-identity-regexp", "https://github.com/sigstore-conformance/.*", "--certificate-oidc-issuer-regexp", "https://token\\.actions\\.githubusercontent\\.com");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void Insecure_ignore_identity_verifies_and_warns()
    {
        CliRun run = Verify("--insecure-ignore-identity");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("WARNING: --insecure-ignore-identity", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Verified OK", run.Stderr, StringComparison.Ordinal);
    }

    [Fact] // Fails at step 1 (key vs certificate), before any stubbed step.
    public void Key_for_a_certificate_bundle_is_exit_1_SC1607()
    {
        string key = Path.Combine(Path.GetTempPath(), $"signcli-{Guid.NewGuid():N}.pub");
        using (var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(key, ec.ExportSubjectPublicKeyInfoPem());
        }

        try
        {
            CliRunner.AssertFails(Verify("--key", key), 1, "SC1607");
        }
        finally
        {
            File.Delete(key);
        }
    }
}
