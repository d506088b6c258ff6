using System.Text.Json.Nodes;

namespace SupplyChain.Cli.Tests.Instance;

/// <summary>signcli instance init/token/verify-log and --instance on sign-blob, attest-blob and verify-blob, with their usage errors.</summary>
public sealed class InstanceCommandTests : IDisposable
{
    private readonly InstanceCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Init_prints_the_identity_and_issuer_and_refuses_to_overwrite_without_force()
    {
        string dir = Path.Combine(_cli.Root, "inst");
        CliRun init = _cli.Run("instance", "init", "--dir", dir, "--port", "9444");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains(InstanceCli.Identity, init.Stdout, StringComparison.Ordinal);
        Assert.Contains(InstanceCli.Issuer, init.Stdout, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9444/", init.Stdout, StringComparison.Ordinal);

        CliRunner.AssertFails(_cli.Run("instance", "init", "--dir", dir), ExitCodes.For(Core.Errors.ErrorCategory.TrustRootOrConfiguration), "SC8002");
        Assert.Equal(0, _cli.Run("instance", "init", "--dir", dir, "--force").ExitCode);
    }

    [Fact]
    public void Token_prints_a_jwt_for_the_local_user()
    {
        Assert.Equal(0, _cli.Run("instance", "init").ExitCode);
        CliRun token = _cli.Run("instance", "token");
        Assert.True(token.ExitCode == 0, token.ToString());
        string[] parts = token.Stdout.Trim().Split('.');
        Assert.Equal(3, parts.Length);
        JsonNode claims = JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]))!;
        Assert.Equal(InstanceCli.Identity, (string?)claims["email"]);
        Assert.Equal("sigstore", (string?)claims["aud"]);
    }

    [Fact]
    public void Attest_blob_with_an_instance_directory_verifies_and_the_log_audits()
    {
        string dir = Path.Combine(_cli.Root, "team");
        Assert.Equal(0, _cli.Run("instance", "init", "--dir", dir).ExitCode);
        string artifact = _cli.Write("a.txt", "artifact\n");
        string predicate = _cli.Write("p.json", "{\"ok\":true}");
        string bundle = Path.Combine(_cli.Root, "a.att.json");

        CliRun attest = _cli.Run("attest-blob", "--instance", dir, artifact, "--predicate", predicate, "--bundle", bundle);
        Assert.True(attest.ExitCode == 0, attest.ToString());
        CliRun verify = _cli.Run("verify-blob", "--instance", dir, artifact, "--bundle", bundle, "--certificate-identity", InstanceCli.Identity, "--certificate-oidc-issuer", InstanceCli.Issuer);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        CliRun audit = _cli.Run("instance", "verify-log", "--dir", dir);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("1 entries", audit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_of_one_instance_does_not_verify_with_another()
    {
        string artifact = _cli.Write("a.txt", "artifact\n");
        string bundle = Path.Combine(_cli.Root, "a.json");
        Assert.Equal(0, _cli.Run("sign-blob", "--instance", "local", artifact, "--bundle", bundle).ExitCode);
        string other = Path.Combine(_cli.Root, "other");
        Assert.Equal(0, _cli.Run("instance", "init", "--dir", other).ExitCode);

        CliRun verify = _cli.Run("verify-blob", "--instance", other, artifact, "--bundle", bundle, "--certificate-identity", InstanceCli.Identity, "--certificate-oidc-issuer", InstanceCli.Issuer);
        Assert.Equal(ExitCodes.For(Core.Errors.ErrorCategory.VerificationFailed), verify.ExitCode);
        Assert.StartsWith("SC1", verify.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflicting_flags_and_a_missing_instance_fail_with_their_codes()
    {
        string artifact = _cli.Write("a.txt", "artifact\n");
        string bundle = Path.Combine(_cli.Root, "a.json");
        CliRunner.AssertFails(_cli.Run("sign-blob", "--instance", "local", "--staging", artifact, "--bundle", bundle), 2, "SC6001");
        CliRunner.AssertFails(_cli.Run("sign-blob", "--instance", "local", "--rekor-version", "1", artifact, "--bundle", bundle), 2, "SC6001");
        CliRunner.AssertFails(_cli.Run("verify-blob", "--instance", "local", "--trusted-root", artifact, artifact, "--bundle", bundle, "--certificate-identity", "x", "--certificate-oidc-issuer", "y"), 2, "SC6001");

        // verify-blob never creates an instance; sign-blob creates only the default one.
        CliRun missing = _cli.Run("verify-blob", "--instance", "local", artifact, "--bundle", bundle, "--certificate-identity", InstanceCli.Identity, "--certificate-oidc-issuer", InstanceCli.Issuer);
        CliRunner.AssertFails(missing, ExitCodes.For(Core.Errors.ErrorCategory.TrustRootOrConfiguration), "SC8001");
        CliRunner.AssertFails(_cli.Run("sign-blob", "--instance", Path.Combine(_cli.Root, "nowhere"), artifact, "--bundle", bundle), ExitCodes.For(Core.Errors.ErrorCategory.TrustRootOrConfiguration), "SC8001");
        Assert.False(File.Exists(bundle));
    }
}
