using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// Buildkite provenance (build type <c>https://supplychain.dev/buildtypes/buildkite/v1</c>, docs/ci.md) from the agent's
/// <c>BUILDKITE_*</c> variables: builder id <c>https://buildkite.com/ORG/PIPELINE</c> (Fulcio's Buildkite SAN), invocation
/// <c>https://buildkite.com/ORG/PIPELINE/builds/N#JOB</c> (Fulcio's Run Invocation URI).
/// </summary>
internal static class BuildkiteProvenance
{
    public static ProvenancePredicate Build(IEnvironmentVariables environment)
    {
        CiValues env = CiValues.FromEnvironment(environment, "Buildkite");
        string organization = env.Required("BUILDKITE_ORGANIZATION_SLUG");
        string pipeline = env.Required("BUILDKITE_PIPELINE_SLUG");
        string buildNumber = env.Required("BUILDKITE_BUILD_NUMBER");
        string jobId = env.Required("BUILDKITE_JOB_ID");
        string repository = env.Required("BUILDKITE_REPO");
        string commit = env.Required("BUILDKITE_COMMIT");
        string branch = env.Required("BUILDKITE_BRANCH");
        env.ThrowIfMissing();
        string gitRef = CiValues.GitRef(env.Optional("BUILDKITE_TAG"), branch);
        string https = CiValues.HttpsRepository(repository);
        string builder = $"https://buildkite.com/{organization}/{pipeline}";
        var buildkite = new JsonObject { ["build_number"] = buildNumber, ["job_id"] = jobId };
        GitLabCiProvenance.AddOptional(buildkite, "build_source", env.Optional("BUILDKITE_SOURCE"));
        GitLabCiProvenance.AddOptional(buildkite, "agent_name", env.Optional("BUILDKITE_AGENT_NAME"));
        var external = new JsonObject
        {
            ["pipeline"] = new JsonObject { ["organization"] = organization, ["slug"] = pipeline },
            ["source"] = new JsonObject { ["repository"] = https, ["ref"] = gitRef },
        };
        JsonObject predicate = SlsaV1Predicate.Create(
            SlsaProvenance.BuildkiteBuildType, external, new JsonObject { ["buildkite"] = buildkite }, https, gitRef, commit, builder, $"{builder}/builds/{buildNumber}#{jobId}");
        return new ProvenancePredicate("buildkite", SlsaProvenance.BuildkiteBuildType, predicate);
    }
}
