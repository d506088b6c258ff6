using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Provenance;
using SupplyChain.Signing.Tests.Oidc;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Provenance;

/// <summary>
/// <see cref="CiProvenanceOptions.LoggerFactory"/>: the builder logs at Debug the CI system it detected and the names of
/// the environment variables it read, set or unset, and never a value: not the job tokens (SIGSTORE_ID_TOKEN,
/// ACTIONS_ID_TOKEN_REQUEST_TOKEN, the GitHub OIDC token it fetches), not the CI values it maps.
/// </summary>
public sealed class CiProvenanceLoggingTests
{
    private const string JobJwt = "eyJhbGciOiJub25lIn0.job-jwt-secret.sig";
    private const string RequestBearer = "request-bearer-secret-4711";

    private static Dictionary<string, string> GitLab(string sigstoreToken)
    {
        Dictionary<string, string> environment = CiProvenanceTests.GitLab();
        environment["SIGSTORE_ID_TOKEN"] = sigstoreToken;
        environment["CI_JOB_JWT"] = JobJwt;
        return environment;
    }

    private static ProvenancePredicate Build(Dictionary<string, string> environment, CapturingLoggerFactory logs, HttpMessageHandler? http = null) =>
        CiProvenance.BuildAsync(new CiProvenanceOptions { Environment = new FakeEnvironment(environment), Transport = http, TimeProvider = new FakeTimeProvider(Jwt.Now), LoggerFactory = logs }).GetAwaiter().GetResult();

    private static List<string> DebugLines(CapturingLoggerFactory logs) =>
        [.. logs.Entries.Where(e => e.Category == typeof(CiProvenance).FullName && e.Level == LogLevel.Debug).Select(e => e.Message)];

    private static void AssertNoSecret(CapturingLoggerFactory logs, params string[] secrets)
    {
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void GitLab_logs_the_ci_system_and_the_names_it_read_but_no_token()
    {
        string sigstoreToken = Jwt.Make(new { iss = "https://gitlab.com", sub = "x", runner_environment = "gitlab-hosted" });
        using var logs = new CapturingLoggerFactory();

        Assert.Equal("gitlab-ci", Build(GitLab(sigstoreToken), logs).CiSystem);

        List<string> lines = DebugLines(logs);
        Assert.Equal("provenance: CI system gitlab-ci", lines[0]);
        string read = Assert.Single(lines, l => l.StartsWith("provenance: environment variables read: ", StringComparison.Ordinal));
        Assert.Contains("GITHUB_ACTIONS (unset), GITLAB_CI (set)", read, StringComparison.Ordinal);
        Assert.Contains("CI_COMMIT_SHA (set)", read, StringComparison.Ordinal);
        Assert.Contains("SIGSTORE_ID_TOKEN (set)", read, StringComparison.Ordinal);
        Assert.Contains("CI_COMMIT_TAG (unset)", read, StringComparison.Ordinal);
        Assert.DoesNotContain("CI_JOB_JWT", read, StringComparison.Ordinal); // not read, so not named
        AssertNoSecret(logs, sigstoreToken, sigstoreToken.Split('.')[1], JobJwt, "abc123", "acme/app");
    }

    [Fact]
    public void GitHub_Actions_logs_the_token_request_variables_by_name_and_neither_the_bearer_nor_the_token()
    {
        string token = CiProvenanceTests.GitHubJobToken();
        var http = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, new { value = token }));
        using var logs = new CapturingLoggerFactory();

        Build(new()
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com",
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://gh.example/token?api-version=2.0&secret=q", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = RequestBearer,
        }, logs, http);

        List<string> lines = DebugLines(logs);
        Assert.Equal("provenance: CI system github-actions", lines[0]);
        string read = Assert.Single(lines, l => l.StartsWith("provenance: environment variables read: ", StringComparison.Ordinal));
        Assert.Contains("ACTIONS_ID_TOKEN_REQUEST_URL (set), ACTIONS_ID_TOKEN_REQUEST_TOKEN (set)", read, StringComparison.Ordinal);

        // The token request itself is logged by the OIDC client under its own category (URL without the query).
        Assert.Contains(logs.Entries, e => e.Category != typeof(CiProvenance).FullName && e.Message.Contains("gh.example", StringComparison.Ordinal));
        AssertNoSecret(logs, RequestBearer, token, token.Split('.')[1], "secret=q");
    }

    [Fact]
    public void A_mapping_that_fails_still_logs_what_it_read()
    {
        Dictionary<string, string> env = GitLab(Jwt.Make(new { iss = "https://gitlab.com", sub = "x" }));
        env.Remove("CI_COMMIT_SHA");
        using var logs = new CapturingLoggerFactory();

        ErrorAssert.AssertCode("SC2021", () => Build(env, logs));

        Assert.Contains(DebugLines(logs), l => l.StartsWith("provenance: environment variables read: ", StringComparison.Ordinal) && l.Contains("CI_COMMIT_SHA (unset)", StringComparison.Ordinal));
    }

    [Fact]
    public void Outside_CI_it_logs_none()
    {
        using var logs = new CapturingLoggerFactory();

        ErrorAssert.AssertCode("SC2020", () => Build([], logs));

        Assert.Equal(
            ["provenance: CI system none", "provenance: environment variables read: GITHUB_ACTIONS (unset), GITLAB_CI (unset), BUILDKITE (unset), CIRCLECI (unset)"],
            DebugLines(logs));
    }
}
