using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests;

/// <summary><c>signcli trusted-root show|update</c> without a network (offline, unreachable loopback port, usage errors).</summary>
public class TrustedRootCommandTests
{
    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sc-cli-tuf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Theory]
    [InlineData(false, "6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66")]
    [InlineData(true, "44deb991d4bbf2150751ccee235d9810bce4434383c26d8898c1bcadbace6ed8")]
    public void Show_offline_with_an_empty_cache_shows_the_embedded_root(bool staging, string sha256)
    {
        string cache = TempDir();
        CliRun run = staging
            ? CliRunner.Run("trusted-root", "show", "--offline", "--staging", "--cache-dir", cache)
            : CliRunner.Run("trusted-root", "show", "--offline", "--cache-dir", cache);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("source:                  embedded", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(sha256, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("WARNING: tuf: trusted_root.json: using the trusted_root.json embedded", run.Stderr, StringComparison.Ordinal); // the TUF client's warning, through the run's logger
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public void Show_offline_json()
    {
        CliRun run = CliRunner.Run("trusted-root", "show", "--offline", "--cache-dir", TempDir(), "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.Equal("embedded", doc.RootElement.GetProperty("source").GetString());
        Assert.Equal("application/vnd.dev.sigstore.trustedroot+json;version=0.1", doc.RootElement.GetProperty("mediaType").GetString());
    }

    [Fact]
    public void Update_from_an_unreachable_repository_fails_with_SC3001_and_exit_4()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string root = Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Tuf", "Roots", "production-root.json");

        CliRun run = CliRunner.Run("trusted-root", "update", "--tuf-url", $"http://127.0.0.1:{port}/", "--tuf-root", root, "--cache-dir", TempDir());

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("SC3001", run.Code);
    }

    [Fact]
    public void A_custom_repository_needs_its_initial_root()
    {
        CliRun run = CliRunner.Run("trusted-root", "update", "--tuf-url", "https://tuf.example.com/");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("SC6001", run.Code);
    }

    [Fact]
    public void Offline_is_an_option_of_show_only()
    {
        CliRun run = CliRunner.Run("trusted-root", "update", "--offline");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("SC6001", run.Code);
        Assert.Contains("signcli trusted-root update --help", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_blob_with_tuf_offline_uses_the_embedded_root_without_network()
    {
        CliRun run = CliRunner.Run("verify-blob", CliRunner.QuickstartArtifact, "--bundle", CliRunner.QuickstartBundle,
            "--certificate-identity", CliRunner.BeaconIdentity, "--certificate-oidc-issuer", CliRunner.GitHubIssuer,
            "--tuf", "--offline", "--tuf-cache-dir", TempDir());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("WARNING: tuf: trusted_root.json: using the trusted_root.json embedded", run.Stderr, StringComparison.Ordinal); // the TUF client's warning, through the run's logger
    }

    [Fact]
    public void Verify_blob_tuf_and_trusted_root_cannot_be_combined()
    {
        CliRun run = CliRunner.Run("verify-blob", CliRunner.QuickstartArtifact, "--bundle", CliRunner.QuickstartBundle,
            "--certificate-identity", CliRunner.BeaconIdentity, "--certificate-oidc-issuer", CliRunner.GitHubIssuer,
            "--tuf", "--offline", "--trusted-root", CliRunner.QuickstartBundle);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("SC6001", run.Code);
    }
}
