using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChain.Instance.Oidc;

/// <summary>The CI systems the local issuer can stand in for.</summary>
public enum SimulatedCiSystem
{
    /// <summary>GitHub Actions: tokens from <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>, certified as Fulcio's <c>github-workflow</c> issuers.</summary>
    GitHubActions,

    /// <summary>GitLab CI: a <c>SIGSTORE_ID_TOKEN</c>, certified as Fulcio's <c>gitlab-pipeline</c> issuers.</summary>
    GitLabCi,
}

/// <summary>
/// The simulated CI of the local instance (docs/instance.md, "Simulated CI"): the local OIDC issuer also mints CI job
/// tokens, under its own issuer name with a <c>/github-actions</c> or <c>/gitlab-ci</c> path, carrying the claims of a
/// job (repository, ref, sha, workflow, runner environment...), and the CA certifies them as Fulcio certifies GitHub and
/// GitLab tokens (its <c>ci-issuer-metadata</c> templates): the SAN is the workflow, and the CI extensions
/// 1.3.6.1.4.1.57264.1.2-.6 and .9-.22 carry the job. The claims of a run travel in its request token (base64url JSON),
/// as the GitHub Actions runtime's <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c> stands for its job. Whoever reaches the instance
/// is the local user, who may describe any job: certificates name the simulated issuer, never GitHub's or GitLab's.
/// </summary>
public static class SimulatedCi
{
    private static readonly string[] ReservedClaims = ["iss", "aud", "exp", "nbf", "iat", "jti"];

    /// <summary>The path segment of <paramref name="system"/> under the local issuer and the instance's <c>/oidc/</c> endpoints.</summary>
    /// <param name="system">The CI system.</param>
    public static string PathSegment(SimulatedCiSystem system) => system == SimulatedCiSystem.GitHubActions ? "github-actions" : "gitlab-ci";

    /// <summary>The issuer of simulated <paramref name="system"/> tokens of the instance whose issuer is <paramref name="localIssuer"/>.</summary>
    /// <param name="localIssuer">The instance's issuer.</param>
    /// <param name="system">The CI system.</param>
    public static string IssuerFor(string localIssuer, SimulatedCiSystem system)
    {
        ArgumentNullException.ThrowIfNull(localIssuer);
        return localIssuer.TrimEnd('/') + "/" + PathSegment(system);
    }

    /// <summary>Encodes the claims of a simulated job as its request token (base64url of the JSON object).</summary>
    /// <param name="claims">The job's claims: a JSON object of strings (GitHub's and GitLab's claim names).</param>
    public static string EncodeRequestToken(JsonObject claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(CheckClaims(claims).ToJsonString()));
    }

    /// <summary>Decodes a request token; SC8010 when it is not base64url JSON claims.</summary>
    internal static JsonObject DecodeRequestToken(string requestToken)
    {
        if (requestToken.Length is 0 or > Limits.MaxTokenChars)
        {
            throw InstanceErrors.RequestMalformed.ToException("the request token is empty or too long");
        }

        try
        {
            // DOM on purpose: a simulated job's claims are an open set (each CI system names its own); CheckClaims
            // holds every one to a string, and they are copied into the minted token as they are.
            return JsonNode.Parse(Base64UrlEncoder.DecodeBytes(requestToken)) is JsonObject claims
                ? CheckClaims(claims)
                : throw InstanceErrors.RequestMalformed.ToException("the request token is not a JSON object of claims");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw InstanceErrors.RequestMalformed.ToException("the request token is not base64url JSON", ex);
        }
    }

    /// <summary>Claims are strings (GitHub and GitLab send every claim as one); the token's own claims are the issuer's to set.</summary>
    internal static JsonObject CheckClaims(JsonObject claims)
    {
        foreach (KeyValuePair<string, JsonNode?> claim in claims)
        {
            if (ReservedClaims.Contains(claim.Key, StringComparer.Ordinal))
            {
                throw InstanceErrors.RequestMalformed.ToException($"the claim '{claim.Key}' is set by the issuer, not the job");
            }

            if (claim.Value is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Any(char.IsControl))
            {
                throw InstanceErrors.RequestMalformed.ToException($"the claim '{claim.Key}' is not a string without control characters");
            }
        }

        return claims;
    }
}
