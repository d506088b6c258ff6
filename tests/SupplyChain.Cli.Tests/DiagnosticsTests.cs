using System.Net;
using Microsoft.Extensions.Logging;
using SupplyChain.Cli.Tests.Instance;
using SupplyChain.Http;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// docs/cli.md, "Diagnostics": the libraries log through one stderr logger factory per run, warnings by default and
/// everything down to debug with <c>--debug</c>; no token, key or certificate reaches it.
/// </summary>
public sealed class DiagnosticsTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("sc-cli-diag-").FullName;

    [Fact]
    public void A_tuf_warning_reaches_stderr_through_the_logger_and_debug_adds_the_http_log()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string root = Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Tuf", "Roots", "production-root.json");
        string[] args = ["trusted-root", "update", "--tuf-url", $"http://127.0.0.1:{port}/", "--tuf-root", root, "--cache-dir", TempDir()];

        CliRun plain = CliRunner.Run(args);
        CliRun debug = CliRunner.Run([.. args, "--debug"]);

        // The TUF client's HTTP layer warns once the attempts are spent; the command's error follows.
        CliRunner.AssertFails(plain, 4, "SC3001");
        Assert.Contains($"WARNING: tuf: GET http://127.0.0.1:{port}/", plain.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("INFO: ", plain.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, debug.ExitCode);
        Assert.Contains($"INFO: tuf: GET http://127.0.0.1:{port}/", debug.Stderr, StringComparison.Ordinal); // the retries
        Assert.Contains("attempt 1 failed", debug.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registry_client_logs_each_answer_with_debug_only()
    {
        var stub = new StubRegistryHandler(_ => StubRegistryHandler.Json(HttpStatusCode.NotFound, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"no\"}]}"));
        CliRun Run(params string[] args) =>
            CliRunner.RunWith(new TestEnvironment(), null, options => new OciRegistryClient(options with { Transport = stub, Retry = HttpRetryPolicy.None }), args);

        CliRun plain = Run("resolve", "registry.example/team/app:v1");
        CliRun debug = Run("resolve", "registry.example/team/app:v1", "--debug");

        Assert.NotEqual(0, plain.ExitCode);
        Assert.DoesNotContain("DEBUG: ", plain.Stderr, StringComparison.Ordinal);
        Assert.Contains(debug.Stderr.Split('\n'), l => l.StartsWith("DEBUG: ", StringComparison.Ordinal) && l.Contains("https://registry.example/v2/team/app/manifests/v1", StringComparison.Ordinal) && l.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public void Signing_with_debug_logs_the_service_calls_but_no_token_key_or_certificate()
    {
        using var cli = new InstanceCli();
        string dir = Path.Combine(cli.Root, "inst");
        Assert.Equal(0, cli.Run("instance", "init", "--dir", dir).ExitCode);
        string artifact = cli.Write("a.txt", "artifact\n");
        string bundle = Path.Combine(cli.Root, "a.sigstore.json");

        CliRun sign = cli.Run("sign-blob", "--instance", dir, artifact, "--bundle", bundle, "--debug");

        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Contains(sign.Stderr.Split('\n'), l => l.StartsWith("DEBUG: ", StringComparison.Ordinal)); // the signer's HTTP layer
        Assert.DoesNotContain("eyJ", sign.Stderr, StringComparison.Ordinal); // a JWT's header
        Assert.DoesNotContain("PRIVATE KEY", sign.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CERTIFICATE", sign.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("MII", sign.Stderr, StringComparison.Ordinal); // base64 DER
    }

    [Theory]
    [InlineData(false, LogLevel.Information, false)]
    [InlineData(false, LogLevel.Warning, true)]
    [InlineData(false, LogLevel.Error, true)]
    [InlineData(true, LogLevel.Debug, true)]
    [InlineData(true, LogLevel.Trace, false)]
    [InlineData(true, LogLevel.None, false)]
    public void Warning_by_default_and_debug_with_the_flag(bool debug, LogLevel level, bool written)
    {
        using var stderr = new StringWriter();
        using var loggers = StderrLoggerFactory.For(stderr, debug);
        ILogger logger = loggers.CreateLogger("SupplyChain.Tuf.TufClient");
#pragma warning disable CA1848, CA2254 // A test of the provider itself: the message is the point.
        logger.Log(level, "event");
#pragma warning restore CA1848, CA2254
        Assert.Equal(written, stderr.ToString().Length > 0);
    }

    [Fact]
    public void A_line_has_no_control_characters_and_an_exception_shows_as_its_type_only()
    {
        string line = StderrLoggerFactory.Line(LogLevel.Warning, "registry: GET https://r.example/\u001b[2J\nfake line\u0007", new InvalidOperationException("secret detail"));
        Assert.Equal("WARNING: registry: GET https://r.example/?[2J?fake line? (InvalidOperationException)", line);
    }
}
