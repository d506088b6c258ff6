using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// CircleCI provenance (build type <c>https://supplychain.dev/buildtypes/circleci/v1</c>, docs/ci.md) from CircleCI's
/// built-in <c>CIRCLE_*</c> variables: builder id <c>https://circleci.com/USERNAME/REPONAME/jobs/JOB</c>, invocation
/// <c>CIRCLE_BUILD_URL</c>.
/// </summary>
internal static class CircleCiProvenance
{
    public static ProvenancePredicate Build(IEnvironmentVariables environment)
    {
        CiValues env = CiValues.FromEnvironment(environment, "CircleCI");
        string username = env.Required("CIRCLE_PROJECT_USERNAME");
        string reponame = env.Required("CIRCLE_PROJECT_REPONAME");
        string repository = env.Required("CIRCLE_REPOSITORY_URL");
        string commit = env.Required("CIRCLE_SHA1");
        string job = env.Required("CIRCLE_JOB");
        string buildUrl = env.Required("CIRCLE_BUILD_URL");
        string? tag = env.Optional("CIRCLE_TAG");
        string? branch = env.Optional("CIRCLE_BRANCH");
        if (tag is null && branch is null)
        {
            _ = env.Required("CIRCLE_BRANCH");
        }

        env.ThrowIfMissing();
        string gitRef = CiValues.GitRef(tag, branch ?? string.Empty);
        string https = CiValues.HttpsRepository(repository);
        var circleci = new JsonObject();
        GitLabCiProvenance.AddOptional(circleci, "workflow_id", env.Optional("CIRCLE_WORKFLOW_ID"));
        GitLabCiProvenance.AddOptional(circleci, "workflow_job_id", env.Optional("CIRCLE_WORKFLOW_JOB_ID"));
        GitLabCiProvenance.AddOptional(circleci, "build_num", env.Optional("CIRCLE_BUILD_NUM"));
        var external = new JsonObject
        {
            ["project"] = new JsonObject { ["username"] = username, ["reponame"] = reponame, ["job"] = job },
            ["source"] = new JsonObject { ["repository"] = https, ["ref"] = gitRef },
        };
        JsonObject predicate = SlsaV1Predicate.Create(
            SlsaProvenance.CircleCiBuildType, external, new JsonObject { ["circleci"] = circleci }, https, gitRef, commit, $"https://circleci.com/{username}/{reponame}/jobs/{job}", buildUrl);
        return new ProvenancePredicate("circleci", SlsaProvenance.CircleCiBuildType, predicate);
    }
}
