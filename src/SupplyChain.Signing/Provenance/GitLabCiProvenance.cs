using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// GitLab CI provenance (build type <c>https://supplychain.dev/buildtypes/gitlab-ci/v1</c>, docs/ci.md) from GitLab's
/// predefined variables. The builder id is the pipeline definition that runs (<c>CI_SERVER_URL/CI_PROJECT_PATH//CI_CONFIG_PATH@REF</c>),
/// the identity Fulcio certifies for a GitLab job (its Build Signer URI, from <c>ci_config_ref_uri</c>); the runner
/// environment comes from the job's <c>SIGSTORE_ID_TOKEN</c> claims when the job has one.
/// </summary>
internal static class GitLabCiProvenance
{
    public static ProvenancePredicate Build(IEnvironmentVariables environment)
    {
        CiValues env = CiValues.FromEnvironment(environment, "GitLab CI");
        string server = env.Required("CI_SERVER_URL").TrimEnd('/');
        string project = env.Required("CI_PROJECT_PATH");
        string commit = env.Required("CI_COMMIT_SHA");
        string jobId = env.Required("CI_JOB_ID");
        string pipelineSource = env.Required("CI_PIPELINE_SOURCE");
        string projectId = env.Required("CI_PROJECT_ID");
        string refName = env.Required("CI_COMMIT_REF_NAME");
        env.ThrowIfMissing();
        string configPath = env.Optional("CI_CONFIG_PATH") ?? ".gitlab-ci.yml";
        string gitRef = CiValues.GitRef(env.Optional("CI_COMMIT_TAG"), refName);
        string repository = $"{server}/{project}";
        var gitlab = new JsonObject
        {
            ["pipeline_source"] = pipelineSource,
            ["project_id"] = projectId,
        };
        AddOptional(gitlab, "namespace_id", env.Optional("CI_PROJECT_NAMESPACE_ID"));
        AddOptional(gitlab, "pipeline_id", env.Optional("CI_PIPELINE_ID"));
        AddOptional(gitlab, "job_name", env.Optional("CI_JOB_NAME"));
        if (environment.GetVariable(StaticTokenProvider.EnvironmentVariable) is { Length: > 0 } token)
        {
            AddOptional(gitlab, "runner_environment", CiValues.FromClaims(CiValues.ClaimsOf(token), "GitLab CI").Optional("runner_environment"));
        }

        var external = new JsonObject
        {
            ["pipeline"] = new JsonObject { ["repository"] = repository, ["ref"] = gitRef, ["path"] = configPath },
        };
        JsonObject predicate = SlsaV1Predicate.Create(
            SlsaProvenance.GitLabCiBuildType,
            external,
            new JsonObject { ["gitlab"] = gitlab },
            repository,
            gitRef,
            commit,
            $"{repository}//{configPath}@{gitRef}",
            $"{repository}/-/jobs/{jobId}");
        return new ProvenancePredicate("gitlab-ci", SlsaProvenance.GitLabCiBuildType, predicate);
    }

    internal static void AddOptional(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
