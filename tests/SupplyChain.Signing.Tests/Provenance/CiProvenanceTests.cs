using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;
using SupplyChain.Signing.Provenance;
using SupplyChain.Signing.Tests.Oidc;
using Microsoft.Extensions.Time.Testing;

namespace SupplyChain.Signing.Tests.Provenance;

/// <summary>SLSA v1 provenance from each CI's environment (docs/ci.md mappings), and the errors when it cannot be built.</summary>
public sealed class CiProvenanceTests
{
    private static ProvenancePredicate Build(Dictionary<string, string> environment, SelfDescribedBuilder? builder = null, HttpMessageHandler? http = null) =>
        CiProvenance.BuildAsync(new CiProvenanceOptions { Environment = new FakeEnvironment(environment), SelfDescribed = builder, Transport = http, TimeProvider = new FakeTimeProvider(Jwt.Now) }).GetAwaiter().GetResult();

    private static void AssertFails(string code, Dictionary<string, string> environment, SelfDescribedBuilder? builder = null, HttpMessageHandler? http = null) =>
        ErrorAssert.AssertCode(code, () => Build(environment, builder, http));

    /// <summary>Reads the predicate back with the verifier's reader: what signing writes, verification understands.</summary>
    private static SlsaProvenance Read(ProvenancePredicate predicate)
    {
        var statement = new JsonObject
        {
            ["_type"] = InTotoStatement.StatementV1,
            ["subject"] = new JsonArray(new JsonObject { ["name"] = "a", ["digest"] = new JsonObject { ["sha256"] = new string('0', 64) } }),
            ["predicateType"] = predicate.PredicateType,
            ["predicate"] = predicate.ToJsonObject(),
        };
        return SlsaProvenance.Read(InTotoStatement.Parse(Encoding.UTF8.GetBytes(statement.ToJsonString())));
    }

    internal static Dictionary<string, string> GitLab() => new()
    {
        ["GITLAB_CI"] = "true",
        ["CI_SERVER_URL"] = "https://gitlab.com",
        ["CI_PROJECT_PATH"] = "acme/app",
        ["CI_PROJECT_ID"] = "77",
        ["CI_PROJECT_NAMESPACE_ID"] = "66",
        ["CI_COMMIT_SHA"] = "abc123",
        ["CI_COMMIT_REF_NAME"] = "main",
        ["CI_PIPELINE_SOURCE"] = "push",
        ["CI_PIPELINE_ID"] = "9",
        ["CI_JOB_ID"] = "1234",
        ["CI_CONFIG_PATH"] = ".gitlab-ci.yml",
    };

    [Fact]
    public void GitLab_maps_to_its_build_type_with_the_pipeline_definition_as_builder()
    {
        ProvenancePredicate predicate = Build(GitLab());
        Assert.Equal("gitlab-ci", predicate.CiSystem);
        SlsaProvenance read = Read(predicate);
        Assert.Equal(SlsaProvenance.GitLabCiBuildType, read.BuildType);
        Assert.Equal("https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main", read.BuilderId);
        Assert.Equal("https://gitlab.com/acme/app", read.SourceRepository);
        Assert.Equal("refs/heads/main", read.SourceRef);
        Assert.Equal("abc123", read.SourceDigest);
        Assert.Equal("https://gitlab.com/acme/app/-/jobs/1234", read.InvocationId);
        Assert.True(read.BuilderIdIsSigner);
    }

    [Fact]
    public void A_GitLab_tag_pipeline_builds_refs_tags_and_takes_the_runner_from_the_job_token()
    {
        Dictionary<string, string> env = GitLab();
        env["CI_COMMIT_TAG"] = "v1.2.3";
        env["CI_COMMIT_REF_NAME"] = "v1.2.3";
        env["SIGSTORE_ID_TOKEN"] = Jwt.Make(new { iss = "https://gitlab.com", sub = "x", runner_environment = "gitlab-hosted" });
        SlsaProvenance read = Read(Build(env));
        Assert.Equal("refs/tags/v1.2.3", read.SourceRef);
        Assert.Equal("gitlab-hosted", read.RunnerEnvironment);
    }

    [Fact]
    public void Buildkite_maps_with_scp_style_repositories_as_https()
    {
        SlsaProvenance read = Read(Build(new()
        {
            ["BUILDKITE"] = "true",
            ["BUILDKITE_ORGANIZATION_SLUG"] = "acme",
            ["BUILDKITE_PIPELINE_SLUG"] = "app",
            ["BUILDKITE_BUILD_NUMBER"] = "5",
            ["BUILDKITE_JOB_ID"] = "j-1",
            ["BUILDKITE_REPO"] = "git@github.com:acme/app.git",
            ["BUILDKITE_COMMIT"] = "def456",
            ["BUILDKITE_BRANCH"] = "main",
        }));
        Assert.Equal(SlsaProvenance.BuildkiteBuildType, read.BuildType);
        Assert.Equal("https://buildkite.com/acme/app", read.BuilderId);
        Assert.Equal("https://github.com/acme/app", read.SourceRepository);
        Assert.Equal("https://buildkite.com/acme/app/builds/5#j-1", read.InvocationId);
    }

    [Fact]
    public void CircleCi_maps_tags_and_the_build_url()
    {
        SlsaProvenance read = Read(Build(new()
        {
            ["CIRCLECI"] = "true",
            ["CIRCLE_PROJECT_USERNAME"] = "acme",
            ["CIRCLE_PROJECT_REPONAME"] = "app",
            ["CIRCLE_REPOSITORY_URL"] = "https://github.com/acme/app.git",
            ["CIRCLE_SHA1"] = "fed789",
            ["CIRCLE_TAG"] = "v2",
            ["CIRCLE_JOB"] = "build",
            ["CIRCLE_BUILD_URL"] = "https://circleci.com/gh/acme/app/42",
        }));
        Assert.Equal(SlsaProvenance.CircleCiBuildType, read.BuildType);
        Assert.Equal("https://circleci.com/acme/app/jobs/build", read.BuilderId);
        Assert.Equal("refs/tags/v2", read.SourceRef);
        Assert.Equal("https://github.com/acme/app", read.SourceRepository);
    }

    /// <summary>A GitHub Actions job's OIDC token with every claim the mapping reads (a release of acme/app by a shared workflow).</summary>
    internal static string GitHubJobToken() => Jwt.Make(new Dictionary<string, object>
    {
        ["iss"] = "https://token.actions.githubusercontent.com", ["sub"] = "repo:acme/app:ref:refs/tags/v1", ["aud"] = "sigstore",
        ["exp"] = Jwt.Now.AddMinutes(5).ToUnixTimeSeconds(), ["ref"] = "refs/tags/v1", ["sha"] = "aaa", ["repository"] = "acme/app",
        ["event_name"] = "release", ["job_workflow_ref"] = "acme/shared/.github/workflows/build.yml@refs/heads/main",
        ["workflow_ref"] = "acme/app/.github/workflows/release.yml@refs/tags/v1", ["repository_id"] = "1", ["repository_owner_id"] = "2",
        ["runner_environment"] = "github-hosted", ["run_id"] = "3", ["run_attempt"] = "4",
    });

    [Fact]
    public void GitHub_Actions_is_built_from_the_job_token_claims_as_actions_attest_does()
    {
        string token = GitHubJobToken();
        var http = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, new { value = token }));
        ProvenancePredicate predicate = Build(new()
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com",
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://gh.example/token?api-version=2.0", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "req",

            // Variables a step can set are not read: the token's claims win.
            ["GITHUB_REPOSITORY"] = "evil/app",
        }, http: http);
        JsonObject json = predicate.ToJsonObject();
        Assert.Equal(".github/workflows/release.yml", (string?)json["buildDefinition"]!["externalParameters"]!["workflow"]!["path"]);
        Assert.Equal("https://github.com/acme/app/actions/runs/3/attempts/4", (string?)json["runDetails"]!["metadata"]!["invocationId"]);
        SlsaProvenance read = Read(predicate);
        Assert.Equal("https://github.com/acme/shared/.github/workflows/build.yml@refs/heads/main", read.BuilderId);
        Assert.Equal("https://github.com/acme/app", read.SourceRepository);
        Assert.Equal("refs/tags/v1", read.SourceRef);
        Assert.Equal("github-hosted", read.RunnerEnvironment);
    }

    [Fact]
    public void GitHub_Actions_without_id_token_permission_is_SC2022_and_a_token_missing_claims_SC2021()
    {
        AssertFails("SC2022", new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com" });
        string token = Jwt.Make(new Dictionary<string, object> { ["iss"] = "i", ["sub"] = "s", ["aud"] = "sigstore", ["exp"] = Jwt.Now.AddMinutes(5).ToUnixTimeSeconds(), ["repository"] = "acme/app" });
        var http = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, new { value = token }));
        AssertFails("SC2021", new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com", ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://gh.example/t?a=1", ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "r" }, http: http);
    }

    [Fact]
    public void Outside_CI_provenance_needs_a_self_described_builder()
    {
        AssertFails("SC2020", []);
        SlsaProvenance read = Read(Build([], new SelfDescribedBuilder { BuilderId = "https://builds.example/laptop", SourceRepository = "https://git.example/app", SourceRef = "refs/heads/main", SourceDigest = "ABC" }));
        Assert.Equal(SlsaProvenance.SelfDescribedBuildType, read.BuildType);
        Assert.Equal("abc", read.SourceDigest);
        AssertFails("SC2023", [], new SelfDescribedBuilder { BuilderId = "not a uri" });
        AssertFails("SC2023", GitLab(), new SelfDescribedBuilder { BuilderId = "https://builds.example/laptop" });
    }

    [Fact]
    public void Missing_or_malformed_CI_values_are_SC2021_and_SC2024()
    {
        Dictionary<string, string> env = GitLab();
        env.Remove("CI_COMMIT_SHA");
        env.Remove("CI_JOB_ID");
        SupplyChainException missing = Assert.ThrowsAny<SupplyChainException>(() => Build(env));
        Assert.Equal("SC2021", missing.Code);
        Assert.Contains("CI_COMMIT_SHA, CI_JOB_ID", missing.Message, StringComparison.Ordinal);
        env = GitLab();
        env["CI_PROJECT_PATH"] = "acme/app\n\"injected\"";
        AssertFails("SC2024", env);
    }

    [Fact]
    public void Checksums_files_give_subjects_and_anything_else_is_SC2025()
    {
        string hex = new('a', 64);
        IReadOnlyList<InTotoSubject> subjects = StatementSubjects.FromChecksums(Encoding.UTF8.GetBytes($"{hex}  dist/app.tgz\r\n\n{new string('b', 128)} *app.bin\n"));
        Assert.Equal(2, subjects.Count);
        Assert.Equal("dist/app.tgz", subjects[0].Name);
        Assert.Equal(hex, subjects[0].Digests["sha256"]);
        Assert.Equal(new string('b', 128), subjects[1].Digests["sha512"]);
        foreach (string bad in new[] { "", "xyz  a", $"{hex} a", $"{hex}", $"{new string('a', 63)}  a" })
        {
            string code = Assert.ThrowsAny<SupplyChainException>(() => StatementSubjects.FromChecksums(Encoding.UTF8.GetBytes(bad))).Code;
            Assert.True(code is "SC2025" or "SC2026", bad + " gave " + code);
        }

        Assert.Equal("SC2026", Assert.ThrowsAny<SupplyChainException>(() => StatementSubjects.FromChecksums(Encoding.UTF8.GetBytes($"{hex}  a\n{new string('c', 64)}  a\n"))).Code);
    }
}
