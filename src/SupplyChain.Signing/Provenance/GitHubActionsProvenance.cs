using System.Text.Json.Nodes;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// GitHub Actions provenance, field for field what <c>@actions/attest</c> (<c>buildSLSAProvenancePredicate</c>, used by
/// actions/attest-build-provenance) writes: build type <c>https://actions.github.io/buildtypes/workflow/v1</c>, values from
/// the job's OIDC token claims (signed by GitHub, so a step cannot fake them by setting variables) and
/// <c>GITHUB_SERVER_URL</c>. docs/ci.md has the mapping.
/// </summary>
internal static class GitHubActionsProvenance
{
    public const string BuildType = "https://actions.github.io/buildtypes/workflow/v1";

    // @actions/attest oidc.ts REQUIRED_CLAIMS.
    private static readonly string[] RequiredClaims =
    [
        "iss", "ref", "sha", "repository", "event_name", "job_workflow_ref", "workflow_ref", "repository_id",
        "repository_owner_id", "runner_environment", "run_id", "run_attempt",
    ];

    public static ProvenancePredicate Build(IReadOnlyDictionary<string, string> claims, IEnvironmentVariables environment)
    {
        CiValues env = CiValues.FromEnvironment(environment, "GitHub Actions");
        string serverUrl = env.Required("GITHUB_SERVER_URL");
        env.ThrowIfMissing();
        CiValues token = CiValues.FromClaims(claims, "GitHub Actions");
        foreach (string claim in RequiredClaims)
        {
            _ = token.Required(claim);
        }

        token.ThrowIfMissing();
        string repository = token.Required("repository");
        string gitRef = token.Required("ref");

        // "owner/repo/.github/workflows/main.yml@main" => ".github/workflows/main.yml" (the first '@' ends the path).
        string workflowPath = token.Required("workflow_ref").Replace(repository + "/", string.Empty, StringComparison.Ordinal).Split('@')[0];
        var external = new JsonObject
        {
            ["workflow"] = new JsonObject
            {
                ["ref"] = gitRef,
                ["repository"] = $"{serverUrl}/{repository}",
                ["path"] = workflowPath,
            },
        };
        var internalParameters = new JsonObject
        {
            ["github"] = new JsonObject
            {
                ["event_name"] = token.Required("event_name"),
                ["repository_id"] = token.Required("repository_id"),
                ["repository_owner_id"] = token.Required("repository_owner_id"),
                ["runner_environment"] = token.Required("runner_environment"),
            },
        };
        JsonObject predicate = SlsaV1Predicate.Create(
            BuildType,
            external,
            internalParameters,
            $"{serverUrl}/{repository}",
            gitRef,
            token.Required("sha"),
            $"{serverUrl}/{token.Required("job_workflow_ref")}",
            $"{serverUrl}/{repository}/actions/runs/{token.Required("run_id")}/attempts/{token.Required("run_attempt")}");
        return new ProvenancePredicate("github-actions", BuildType, predicate);
    }
}
