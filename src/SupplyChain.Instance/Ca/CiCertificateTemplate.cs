using Microsoft.IdentityModel.JsonWebTokens;
using SupplyChain.Instance.Oidc;

namespace SupplyChain.Instance.Ca;

/// <summary>A Fulcio extension to write: the OID, its value, and whether it is the raw claim (.2-.6) or a DER UTF8String (.9 onwards).</summary>
internal readonly record struct CiExtension(string Oid, string Value, bool Raw);

/// <summary>
/// Fulcio's <c>ci-issuer-metadata</c> templates for <c>github-workflow</c> and <c>gitlab-pipeline</c> issuers
/// (sigstore/fulcio config/identity/config.yaml; OIDs in docs/oid-info.md): the SAN and the CI extensions a job's token
/// claims become. Claims a template needs and the token lacks fail the request (SC8024), as Fulcio refuses them.
/// </summary>
internal static class CiCertificateTemplate
{
    private const string Arc = "1.3.6.1.4.1.57264.1.";

    public static (string San, IReadOnlyList<CiExtension> Extensions) Map(SimulatedCiSystem system, JsonWebToken token)
    {
        string Claim(string name) => token.TryGetPayloadValue(name, out string? value) && !string.IsNullOrEmpty(value)
            ? value
            : throw InstanceErrors.TokenIdentityUnsupported.ToException($"the {SimulatedCi.PathSegment(system)} token has no '{name}' claim");
        string? Optional(string name) => token.TryGetPayloadValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;
        var extensions = new List<CiExtension>();
        void Add(int suffix, string? value, bool raw = false)
        {
            if (value is not null)
            {
                extensions.Add(new CiExtension(Arc + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture), value, raw));
            }
        }

        if (system == SimulatedCiSystem.GitHubActions)
        {
            // github-workflow: default url "https://github.com".
            const string url = "https://github.com";
            string repository = Claim("repository");
            string sha = Claim("sha");
            string gitRef = Claim("ref");
            string san = $"{url}/{Claim("job_workflow_ref")}";
            Add(2, Optional("event_name"), raw: true);
            Add(3, sha, raw: true);
            Add(4, Optional("workflow"), raw: true);
            Add(5, repository, raw: true);
            Add(6, gitRef, raw: true);
            Add(9, san);
            Add(10, Optional("job_workflow_sha"));
            Add(11, Optional("runner_environment"));
            Add(12, $"{url}/{repository}");
            Add(13, sha);
            Add(14, gitRef);
            Add(15, Optional("repository_id"));
            Add(16, Optional("repository_owner") is { } owner ? $"{url}/{owner}" : null);
            Add(17, Optional("repository_owner_id"));
            Add(18, Optional("workflow_ref") is { } workflowRef ? $"{url}/{workflowRef}" : null);
            Add(19, Optional("workflow_sha"));
            Add(20, Optional("event_name"));
            Add(21, Optional("run_id") is { } runId && Optional("run_attempt") is { } attempt ? $"{url}/{repository}/actions/runs/{runId}/attempts/{attempt}" : null);
            Add(22, Optional("repository_visibility"));
            return (san, extensions);
        }

        // gitlab-pipeline: default url "https://gitlab.com"; the ref is refs/heads/ or refs/tags/ by ref_type.
        const string gitlab = "https://gitlab.com";
        string config = $"https://{Claim("ci_config_ref_uri")}";
        string project = Claim("project_path");
        string refType = Claim("ref_type");
        string fullRef = $"refs/{(refType == "branch" ? "heads" : "tags")}/{Claim("ref")}";
        Add(9, config);
        Add(10, Optional("ci_config_sha"));
        Add(11, Optional("runner_environment"));
        Add(12, $"{gitlab}/{project}");
        Add(13, Claim("sha"));
        Add(14, fullRef);
        Add(15, Optional("project_id"));
        Add(16, Optional("namespace_path") is { } ns ? $"{gitlab}/{ns}" : null);
        Add(17, Optional("namespace_id"));
        Add(18, config);
        Add(19, Optional("ci_config_sha"));
        Add(20, Optional("pipeline_source"));
        Add(21, Optional("job_id") is { } job ? $"{gitlab}/{project}/-/jobs/{job}" : null);
        Add(22, Optional("project_visibility"));
        return (config, extensions);
    }
}
