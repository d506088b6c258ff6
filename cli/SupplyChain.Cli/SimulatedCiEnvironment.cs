using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Http;
using SupplyChain.Instance.Oidc;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli instance ci-env github-actions|gitlab-ci --claims FILE</c>: the environment of a simulated CI job whose OIDC
/// token the local instance issues (docs/instance.md, "Simulated CI"), as <c>export NAME='value'</c> lines for
/// <c>eval</c>. One claims file is the single source of the job: the CI variables are derived from it, and the token
/// (GitHub: fetched from the served instance with <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>/<c>_TOKEN</c>; GitLab: minted into
/// <c>SIGSTORE_ID_TOKEN</c>) carries the same claims.
/// </summary>
internal static class SimulatedCiEnvironment
{
    /// <summary>The variables for <paramref name="system"/>, in print order.</summary>
    public static async Task<IReadOnlyList<(string Name, string Value)>> VariablesAsync(SimulatedCiSystem system, JsonObject claims, Uri serveUrl, CancellationToken cancellationToken)
    {
        string Claim(string name) => claims[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw CliErrors.Usage.ToException($"--claims: the {SimulatedCi.PathSegment(system)} job needs a '{name}' claim (a string)");
        string? Optional(string name) => claims[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var variables = new List<(string, string)>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                variables.Add((name, value));
            }
        }

        if (system == SimulatedCiSystem.GitHubActions)
        {
            // GitHub docs, "Variables reference" (default environment variables) and "OpenID Connect" (token claims).
            Add("GITHUB_ACTIONS", "true");
            Add("CI", "true");
            Add("GITHUB_SERVER_URL", "https://github.com");
            Add("GITHUB_REPOSITORY", Claim("repository"));
            Add("GITHUB_REF", Claim("ref"));
            Add("GITHUB_SHA", Claim("sha"));
            Add("GITHUB_WORKFLOW_REF", Optional("workflow_ref"));
            Add("GITHUB_EVENT_NAME", Optional("event_name"));
            Add("GITHUB_RUN_ID", Optional("run_id"));
            Add("GITHUB_RUN_ATTEMPT", Optional("run_attempt"));
            Add("GITHUB_REPOSITORY_ID", Optional("repository_id"));
            Add("GITHUB_REPOSITORY_OWNER", Optional("repository_owner"));
            Add("GITHUB_REPOSITORY_OWNER_ID", Optional("repository_owner_id"));
            Add("RUNNER_ENVIRONMENT", Optional("runner_environment"));
            // GitHub's URL carries a query (api-version) and clients append "&audience=..." to it (@actions/core getIDToken).
            Add("ACTIONS_ID_TOKEN_REQUEST_URL", new Uri(serveUrl, "/oidc/github-actions/token?api-version=2.0").AbsoluteUri);
            Add("ACTIONS_ID_TOKEN_REQUEST_TOKEN", SimulatedCi.EncodeRequestToken(claims));
            return variables;
        }

        // GitLab docs, "Predefined CI/CD variables" and "ID token authentication" (claims).
        string refType = Claim("ref_type");
        string gitRef = Claim("ref");
        string project = Claim("project_path");
        string configRefUri = Claim("ci_config_ref_uri");
        int slashes = configRefUri.IndexOf("//", StringComparison.Ordinal);
        int at = configRefUri.LastIndexOf('@');
        Add("GITLAB_CI", "true");
        Add("CI", "true");
        Add("CI_SERVER_URL", "https://gitlab.com");
        Add("CI_PROJECT_PATH", project);
        Add("CI_PROJECT_ID", Optional("project_id"));
        Add("CI_PROJECT_NAMESPACE_ID", Optional("namespace_id"));
        Add("CI_COMMIT_SHA", Claim("sha"));
        Add("CI_COMMIT_REF_NAME", gitRef);
        Add(refType == "tag" ? "CI_COMMIT_TAG" : "CI_COMMIT_BRANCH", gitRef);
        Add("CI_PIPELINE_SOURCE", Optional("pipeline_source"));
        Add("CI_PIPELINE_ID", Optional("pipeline_id"));
        Add("CI_JOB_ID", Optional("job_id"));
        Add("CI_JOB_URL", Optional("job_id") is { } job ? $"https://gitlab.com/{project}/-/jobs/{job}" : null);
        Add("CI_CONFIG_PATH", slashes > 0 && at > slashes ? configRefUri[(slashes + 2)..at] : null);
        Add("SIGSTORE_ID_TOKEN", await FetchTokenAsync(serveUrl, system, claims, cancellationToken).ConfigureAwait(false));
        return variables;
    }

    /// <summary>Asks the served instance for the job's token (its <c>/oidc/gitlab-ci/token</c> endpoint), as a GitLab job finds it ready in SIGSTORE_ID_TOKEN.</summary>
    private static async Task<string> FetchTokenAsync(Uri serveUrl, SimulatedCiSystem system, JsonObject claims, CancellationToken cancellationToken)
    {
        // Through the shared HTTP layer (bounded reads, a timeout on every read), once: the instance is local.
        using var http = new BoundedHttpClient(new BoundedHttpClientOptions(HttpErrorCodes.All(CliErrors.Usage)) { Retry = HttpRetryPolicy.None, ClientName = "ci-env" });
        var call = new HttpCall(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serveUrl, $"/oidc/{SimulatedCi.PathSegment(system)}/token?audience=sigstore"));
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("bearer", SimulatedCi.EncodeRequestToken(claims));
                return request;
            },
            "the simulated job's token");
        HttpAnswer answer;
        try
        {
            answer = await http.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (SupplyChainException ex) when (ex.Error == CliErrors.Usage)
        {
            throw CliErrors.Usage.ToException($"the instance is not served at {serveUrl} ('signcli instance serve' first): {ex.Message}", ex);
        }

        string body = System.Text.Encoding.UTF8.GetString(answer.Body);
        return answer.IsSuccessStatusCode && TokenValue(answer.Body) is { } value
            ? value
            : throw CliErrors.Usage.ToException($"the instance at {serveUrl} refused the job's token: HTTP {(int)answer.StatusCode} {body[..Math.Min(body.Length, 200)]}");
    }

    /// <summary>The <c>value</c> of a token answer, or null when the answer is not <c>{"value": string}</c>.</summary>
    private static string? TokenValue(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, CliJsonContext.Default.CiTokenAnswerJson)?.Value;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads the claims file: a JSON object of string claims.</summary>
    public static JsonObject ReadClaims(string path)
    {
        try
        {
            // DOM on purpose: a job's claims are an open set (each CI system names its own); SimulatedCi.CheckClaims
            // holds each to a string.
            return JsonNode.Parse(CliFiles.ReadAll(path, "--claims", CliLimits.MaxPredicateBytes)) as JsonObject
                ?? throw CliErrors.PredicateInvalid.ToException("--claims: not a JSON object");
        }
        catch (JsonException ex)
        {
            throw CliErrors.PredicateInvalid.ToException($"--claims: {ex.Message}", ex);
        }
    }

    /// <summary>A POSIX shell single-quoted word.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
