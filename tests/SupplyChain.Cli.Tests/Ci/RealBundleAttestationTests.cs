using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Ci;

/// <summary>
/// <c>verify-blob-attestation</c> on real bundles: npm's provenance for sigstore@2.2.0 (public-good Sigstore, GitHub
/// Actions; testdata/npm-provenance) with its tarball, and a bundle from GitHub's own instance (RFC 3161 timestamp, no
/// log; testdata/github-instance), which needs the opt-in <c>--github-trusted-root</c>.
/// </summary>
public sealed class RealBundleAttestationTests
{
    private static string Npm(string file) => Path.Combine(TestPaths.TestData, "npm-provenance", file);

    private static string GitHub(string file) => Path.Combine(TestPaths.TestData, "github-instance", file);

    private const string NpmSigner = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";
    private const string GitHubSha512 = "sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751";

    private static CliRun VerifyNpm(params string[] checks) => CliRunner.Run(["verify-blob-attestation", Npm("sigstore-2.2.0.tgz"), "--bundle", Npm("sigstore-2.2.0.sigstore.json"),
        "--certificate-identity", NpmSigner, "--certificate-oidc-issuer", CliRunner.GitHubIssuer, .. checks]);

    [Fact]
    public void Npm_provenance_verifies_with_source_repository_and_ref()
    {
        CliRun run = VerifyNpm("--source-repository", "https://github.com/sigstore/sigstore-js", "--source-ref", "refs/heads/main", "--deny-self-hosted-runners", "--signer-workflow", "github.com/sigstore/sigstore-js/.github/workflows/release.yml");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("source:     https://github.com/sigstore/sigstore-js@refs/heads/main (d9093d4b3b99d9ee446633ac7074e43cea78c727)", run.Stderr, StringComparison.Ordinal);
        CliRunner.AssertFails(VerifyNpm("--source-repository", "https://github.com/sigstore/sigstore-python"), 1, "SC1622");
        CliRunner.AssertFails(VerifyNpm("--source-ref", "refs/heads/evil"), 1, "SC1623");
        CliRunner.AssertFails(VerifyNpm("--source-digest", new string('0', 40)), 1, "SC1624");
        CliRunner.AssertFails(VerifyNpm("--signer-workflow", "github.com/sigstore/sigstore-js/.github/workflows/other.yml"), 1, "SC1625");
    }

    [Fact]
    public void A_GitHub_instance_bundle_verifies_only_with_the_opt_in_root()
    {
        string[] common = ["verify-blob-attestation", GitHubSha512, "--bundle", GitHub("bundle-staging.sigstore.json"), "--type", "slsaprovenance",
            "--certificate-identity", "cody@soyland.com", "--certificate-oidc-issuer", "https://github.com/login/oauth"];
        CliRun optedIn = CliRunner.Run([.. common, "--github-trusted-root", GitHub("trusted_root.staging.json"), "--builder-id", "https://github.com/actions/runner"]);
        Assert.True(optedIn.ExitCode == 0, optedIn.ToString());
        Assert.Contains("signed timestamps instead of transparency-log entries", optedIn.Stderr, StringComparison.Ordinal);

        // The same root as an ordinary --trusted-root keeps the default thresholds: no log entry, no pass.
        CliRunner.AssertFails(CliRunner.Run([.. common, "--trusted-root", GitHub("trusted_root.staging.json")]), 1, "SC1212");

        // Opting into GitHub's root does not loosen public-good bundles: they still go to the default root and need their log.
        CliRun npm = CliRunner.Run(["verify-blob-attestation", Npm("sigstore-2.2.0.tgz"), "--bundle", Npm("sigstore-2.2.0.sigstore.json"), "--certificate-identity", NpmSigner,
            "--certificate-oidc-issuer", CliRunner.GitHubIssuer, "--github-trusted-root", GitHub("trusted_root.staging.json")]);
        Assert.True(npm.ExitCode == 0, npm.ToString());
        Assert.DoesNotContain("signed timestamps", npm.Stderr, StringComparison.Ordinal);
    }
}
