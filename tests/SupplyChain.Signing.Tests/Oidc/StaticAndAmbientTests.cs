using System.Net;
using SupplyChain.Signing;
using SupplyChain.Signing.Oidc;
using SupplyChain.Testing;
using Microsoft.Extensions.Time.Testing;

namespace SupplyChain.Signing.Tests.Oidc;

public class StaticTokenProviderTests
{
    private static readonly FakeTimeProvider Clock = new(Jwt.Now);

    [Fact]
    public async Task From_value_file_and_environment()
    {
        string raw = Jwt.Valid();
        Assert.Equal(raw, (await StaticTokenProvider.FromValue(raw, Clock).GetTokenAsync("sigstore")).RawToken);

        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, raw + "\n");
            Assert.Equal(raw, (await StaticTokenProvider.FromFile(path, Clock).GetTokenAsync("sigstore")).RawToken);
        }
        finally
        {
            File.Delete(path);
        }

        var env = new FakeEnvironment(new() { ["SIGSTORE_ID_TOKEN"] = raw });
        StaticTokenProvider? fromEnv = StaticTokenProvider.FromEnvironment(env, Clock);
        Assert.NotNull(fromEnv);
        Assert.Equal("env", fromEnv.Name);
        Assert.Equal(raw, (await fromEnv.GetTokenAsync("sigstore")).RawToken);
        Assert.Null(StaticTokenProvider.FromEnvironment(new FakeEnvironment([]), Clock));
    }

    [Fact]
    public async Task Missing_or_empty_file_fails_SC2107()
    {
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await StaticTokenProvider.FromFile(missing, Clock).GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.TokenFileUnreadable, e);

        string empty = Path.GetTempFileName();
        try
        {
            e = await Assert.ThrowsAnyAsync<Exception>(async () => await StaticTokenProvider.FromFile(empty, Clock).GetTokenAsync("sigstore"));
            ErrorAssert.AssertCode(SigningErrors.TokenFileUnreadable, e);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task Static_token_is_checked_SC2104_and_never_echoed()
    {
        string raw = Jwt.Valid(aud: "other");
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await StaticTokenProvider.FromValue(raw, Clock).GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.TokenAudienceMismatch, e, raw);
    }
}

public class AmbientTokenProviderTests
{
    private static readonly string NoDmi = Path.Combine(Path.GetTempPath(), "no-such-dmi-" + Guid.NewGuid().ToString("N"));

    private static AmbientTokenProvider Make(Dictionary<string, string> env, StubHandler? http = null, ICommandRunner? runner = null, string? dmi = null) =>
        new(new AmbientTokenProviderOptions
        {
            Environment = new FakeEnvironment(env),
            Transport = http ?? new StubHandler((_, _) => throw new InvalidOperationException("no HTTP expected")),
            CommandRunner = runner ?? new FakeCommandRunner(99, string.Empty),

            // Request timeouts and retry delays must elapse: a frozen "now" with real timers (FakeTimeProvider's wait to be advanced).
            TimeProvider = new FrozenClock(Jwt.Now),
            GcpProductNameFile = dmi ?? NoDmi,
            GcpMetadataBaseUrl = new Uri("http://metadata.test"),
        });

    [Fact]
    public async Task Nothing_detected_fails_SC2106()
    {
        using AmbientTokenProvider p = Make([]);
        Assert.Null(p.Detect());
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await p.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.TokenUnavailable, e);
    }

    [Fact]
    public async Task GitHub_actions_requests_the_sigstore_audience_with_the_bearer_token()
    {
        string raw = Jwt.Valid();
        var http = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, new { count = 1, value = raw }));
        using AmbientTokenProvider p = Make(new() { ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://gh.example/token?api-version=2.0", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "req-secret", ["SIGSTORE_ID_TOKEN"] = "ignored" }, http);
        Assert.Equal("github-actions", p.Detect());
        IdentityToken token = await p.GetTokenAsync("sigstore");
        Assert.Equal(raw, token.RawToken);
        HttpRequestMessage request = Assert.Single(http.Requests).Request;
        Assert.Equal("https://gh.example/token?api-version=2.0&audience=sigstore", request.RequestUri!.AbsoluteUri);
        Assert.Equal("bearer", request.Headers.Authorization!.Scheme);
        Assert.Equal("req-secret", request.Headers.Authorization.Parameter);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "{}")]
    [InlineData(HttpStatusCode.OK, "{\"count\":0}")]
    [InlineData(HttpStatusCode.OK, "not json")]
    public async Task GitHub_actions_failures_are_SC2108(HttpStatusCode status, string body)
    {
        var http = new StubHandler((_, _) => StubHandler.Text(status, body));
        using AmbientTokenProvider p = Make(new() { ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://gh.example/token", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "req-secret" }, http);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await p.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.AmbientTokenRequestFailed, e, "req-secret");
        Assert.Equal("https://gh.example/token?audience=sigstore", http.Requests[0].Request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task GitHub_actions_token_with_wrong_audience_is_SC2104()
    {
        string raw = Jwt.Valid(aud: "https://github.com/octo");
        var http = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, new { value = raw }));
        using AmbientTokenProvider p = Make(new() { ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://gh.example/token", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "t" }, http);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await p.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.TokenAudienceMismatch, e, raw);
    }

    [Fact]
    public async Task GitLab_reads_SIGSTORE_ID_TOKEN()
    {
        string raw = Jwt.Valid();
        using AmbientTokenProvider p = Make(new() { ["GITLAB_CI"] = "true", ["SIGSTORE_ID_TOKEN"] = raw, ["BUILDKITE"] = "true" });
        Assert.Equal("gitlab-ci", p.Detect());
        Assert.Equal(raw, (await p.GetTokenAsync("sigstore")).RawToken);
    }

    [Fact]
    public async Task SIGSTORE_ID_TOKEN_outside_GitLab_is_reported_as_env()
    {
        string raw = Jwt.Valid();
        using AmbientTokenProvider p = Make(new() { ["SIGSTORE_ID_TOKEN"] = raw });
        Assert.Equal("env", p.Detect());
        Assert.Equal(raw, (await p.GetTokenAsync("sigstore")).RawToken);
    }

    [Fact]
    public async Task Buildkite_runs_the_agent()
    {
        string raw = Jwt.Valid();
        var runner = new FakeCommandRunner(0, raw + "\n");
        using AmbientTokenProvider p = Make(new() { ["BUILDKITE"] = "true", ["CIRCLECI"] = "true" }, runner: runner);
        Assert.Equal("buildkite", p.Detect());
        Assert.Equal(raw, (await p.GetTokenAsync("sigstore")).RawToken);
        (string file, IReadOnlyList<string> args) = Assert.Single(runner.Calls);
        Assert.Equal("buildkite-agent", file);
        Assert.Equal(["oidc", "request-token", "--audience", "sigstore"], args);
    }

    [Fact]
    public async Task CircleCI_runs_the_cli_with_the_aud_claim()
    {
        string raw = Jwt.Valid();
        var runner = new FakeCommandRunner(0, raw);
        using AmbientTokenProvider p = Make(new() { ["CIRCLECI"] = "true" }, runner: runner);
        Assert.Equal("circleci", p.Detect());
        Assert.Equal(raw, (await p.GetTokenAsync("sigstore")).RawToken);
        (string file, IReadOnlyList<string> args) = Assert.Single(runner.Calls);
        Assert.Equal("circleci", file);
        Assert.Equal(["run", "oidc", "get", "--claims", "{\"aud\":\"sigstore\"}"], args);
    }

    [Theory]
    [InlineData("BUILDKITE", 1, "x")]
    [InlineData("BUILDKITE", 0, "  ")]
    [InlineData("CIRCLECI", 2, "")]
    public async Task Failing_commands_are_SC2108(string variable, int exitCode, string stdout)
    {
        using AmbientTokenProvider p = Make(new() { [variable] = "true" }, runner: new FakeCommandRunner(exitCode, stdout));
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await p.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.AmbientTokenRequestFailed, e);
    }

    [Fact]
    public async Task Missing_command_is_SC2108()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ProcessCommandRunner.Instance.RunAsync("no-such-ci-tool-" + Guid.NewGuid().ToString("N"), [], TimeSpan.FromSeconds(5)));
        ErrorAssert.AssertCode(SigningErrors.AmbientTokenRequestFailed, e);
    }

    [Fact]
    public async Task Gcp_metadata_server_is_asked_with_the_flavor_header()
    {
        string raw = Jwt.Valid();
        var http = new StubHandler((_, _) => StubHandler.Text(HttpStatusCode.OK, raw));
        using AmbientTokenProvider p = Make(new() { ["GCE_METADATA_HOST"] = "169.254.169.254" }, http);
        Assert.Equal("gcp", p.Detect());
        Assert.Equal(raw, (await p.GetTokenAsync("sigstore")).RawToken);
        HttpRequestMessage request = Assert.Single(http.Requests).Request;
        Assert.Equal("http://metadata.test/computeMetadata/v1/instance/service-accounts/default/identity?audience=sigstore&format=full", request.RequestUri!.AbsoluteUri);
        Assert.Equal(["Google"], request.Headers.GetValues("Metadata-Flavor"));
    }

    [Fact]
    public async Task Gcp_is_detected_from_the_dmi_product_name_and_failures_are_SC2108()
    {
        string dmi = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(dmi, "Google Compute Engine\n");
            var http = new StubHandler((_, _) => StubHandler.Text(HttpStatusCode.NotFound, "nope"));
            using AmbientTokenProvider p = Make([], http, dmi: dmi);
            Assert.Equal("gcp", p.Detect());
            var e = await Assert.ThrowsAnyAsync<Exception>(async () => await p.GetTokenAsync("sigstore"));
            ErrorAssert.AssertCode(SigningErrors.AmbientTokenRequestFailed, e);

            await File.WriteAllTextAsync(dmi, "Standard PC (Q35 + ICH9, 2009)\n");
            using AmbientTokenProvider notGcp = Make([], http, dmi: dmi);
            Assert.Null(notGcp.Detect());
        }
        finally
        {
            File.Delete(dmi);
        }
    }

    [Fact]
    public async Task Gcp_metadata_timeout_is_SC2108_and_does_not_hang()
    {
        var http = new StubHandler((_, _) => throw new TaskCanceledException("timeout"));
        using AmbientTokenProvider p = Make(new() { ["GCE_METADATA_HOST"] = "10.0.0.1" }, http);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await p.GetTokenAsync("sigstore"));
        ErrorAssert.AssertCode(SigningErrors.AmbientTokenRequestFailed, e);
    }
}

public class ProcessCommandRunnerTests
{
    [Fact]
    public async Task Runs_a_real_process_and_captures_stdout()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        (int exit, string stdout) = await ProcessCommandRunner.Instance.RunAsync("echo", ["header.payload.sig"], TimeSpan.FromSeconds(10));
        Assert.Equal(0, exit);
        Assert.Equal("header.payload.sig", stdout.Trim());
    }

    [Fact]
    public async Task A_hanging_command_times_out_with_SC2108()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var e = await Assert.ThrowsAnyAsync<Exception>(() => ProcessCommandRunner.Instance.RunAsync("sleep", ["30"], TimeSpan.FromMilliseconds(300)));
        ErrorAssert.AssertCode(SigningErrors.AmbientTokenRequestFailed, e);
    }
}
