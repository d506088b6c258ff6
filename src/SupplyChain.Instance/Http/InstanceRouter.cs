using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Instance.Ca;
using SupplyChain.Instance.Oidc;
using SupplyChain.Instance.Rekor;
using SupplyChain.Instance.Timestamps;

namespace SupplyChain.Instance.Http;

/// <summary>
/// Dispatches a request to the instance's services by method and path; the same code answers in process
/// (<see cref="InstanceHttpHandler"/>) and on loopback (<see cref="LocalInstanceServer"/>). Every failure becomes a 4xx
/// (or 503) with its SC80xx code in a JSON body.
/// </summary>
internal sealed class InstanceRouter
{
    private readonly SigningCertificateService _fulcio;
    private readonly LogEntryService _rekor;
    private readonly IEntryLog _log;
    private readonly LocalTimestampAuthority _tsa;
    private readonly LocalOidcIssuer _oidc;
    private readonly TimeProvider _time;

    public InstanceRouter(SigningCertificateService fulcio, LogEntryService rekor, IEntryLog log, LocalTimestampAuthority tsa, LocalOidcIssuer oidc, TimeProvider time)
    {
        _fulcio = fulcio;
        _rekor = rekor;
        _log = log;
        _tsa = tsa;
        _oidc = oidc;
        _time = time;
    }

    /// <summary>Answers one request; <paramref name="baseUrl"/> is where the caller reached the instance (for discovery).</summary>
    public Task<InstanceResponse> HandleAsync(string method, string path, string? contentType, ReadOnlyMemory<byte> body, Uri baseUrl, CancellationToken cancellationToken) =>
        HandleAsync(new InstanceRequest(method, path, null, null, contentType), body, baseUrl, cancellationToken);

    /// <summary>Answers one request with its query string and Authorization header (the simulated CI token endpoint reads them).</summary>
    public async Task<InstanceResponse> HandleAsync(InstanceRequest request, ReadOnlyMemory<byte> body, Uri baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            if (body.Length > Limits.MaxRequestBytes)
            {
                throw InstanceErrors.RequestTooLarge.ToException($"{body.Length} bytes; at most {Limits.MaxRequestBytes}");
            }

            if (SimulatedCiRoute(request, baseUrl) is { } ci)
            {
                return ci;
            }

            return await RouteAsync(request.Method, request.Path.TrimEnd('/'), request.ContentType, body, baseUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (SupplyChainException ex)
        {
            return InstanceResponse.Error(ex);
        }
    }

    private async Task<InstanceResponse> RouteAsync(string method, string path, string? contentType, ReadOnlyMemory<byte> body, Uri baseUrl, CancellationToken cancellationToken)
    {
        switch (path)
        {
            case "/api/v2/signingCert":
                Require(method, "POST", contentType, "application/json");
                return InstanceResponse.Json(await _fulcio.CreateAsync(body, cancellationToken).ConfigureAwait(false));
            case "/api/v2/log/entries":
                Require(method, "POST", contentType, "application/json");
                return InstanceResponse.Json(await _rekor.CreateAsync(body, cancellationToken).ConfigureAwait(false));
            case "/api/v1/timestamp":
                // RFC 3161 section 3.4 (application/timestamp-query), or timestamp-authority's JSON form.
                if (contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    Require(method, "POST", contentType, "application/json");
                    return new InstanceResponse(200, "application/timestamp-reply", _tsa.RespondJson(body.Span, _time.GetUtcNow()));
                }

                Require(method, "POST", contentType, "application/timestamp-query");
                return new InstanceResponse(200, "application/timestamp-reply", _tsa.Respond(body, _time.GetUtcNow()));
            case "/api/v1/timestamp/certchain":
                Require(method, "GET", null, null);
                return new InstanceResponse(200, "application/pem-certificate-chain", Encoding.ASCII.GetBytes(string.Concat(_tsa.Chain.Select(c => c.ExportCertificatePem() + "\n"))));
            case "/.well-known/openid-configuration":
                Require(method, "GET", null, null);
                return InstanceResponse.Json(_oidc.Discovery(baseUrl));
            case "/oidc/jwks":
                Require(method, "GET", null, null);
                return InstanceResponse.Json(_oidc.Jwks());
            case "/oidc/token":
                if (method is not ("GET" or "POST"))
                {
                    throw InstanceErrors.MethodNotAllowed.ToException($"{method} {path}");
                }

                string token = _oidc.Mint(TokenVerifier.Audience, _time.GetUtcNow());
                return InstanceResponse.Json(new JsonObject
                {
                    ["access_token"] = token,
                    ["id_token"] = token,
                    ["token_type"] = "Bearer",
                    ["expires_in"] = (int)LocalOidcIssuer.TokenLifetime.TotalSeconds,
                }.ToJsonString());
            default:
                break;
        }

        // C2SP tlog-tiles read paths: checkpoint, tile/<L>/<N>[.p/<W>], tile/entries/<N>[.p/<W>].
        if (path == "/checkpoint" || path.StartsWith("/tile/", StringComparison.Ordinal))
        {
            Require(method, "GET", null, null);
            byte[]? bytes = await _log.ReadAsync(path[1..], cancellationToken).ConfigureAwait(false);
            return bytes is null
                ? throw InstanceErrors.UnknownEndpoint.ToException("no such tile")
                : new InstanceResponse(200, path == "/checkpoint" ? "text/plain; charset=utf-8" : "application/octet-stream", bytes);
        }

        throw InstanceErrors.UnknownEndpoint.ToException(path.Length > 100 ? path[..100] : path);
    }

    /// <summary>
    /// The simulated CI endpoints (docs/instance.md): <c>GET /oidc/{github-actions,gitlab-ci}/token?audience=A</c> with
    /// <c>Authorization: bearer REQUEST_TOKEN</c> answers <c>{"value": JWT}</c> as GitHub's ACTIONS_ID_TOKEN_REQUEST_URL
    /// does, the token carrying the claims the request token encodes (GitLab jobs get theirs as SIGSTORE_ID_TOKEN); <c>/{github-actions,gitlab-ci}/.well-known/openid-configuration</c>
    /// is the simulated issuer's discovery document. Null for other paths.
    /// </summary>
    private InstanceResponse? SimulatedCiRoute(InstanceRequest request, Uri baseUrl)
    {
        string path = request.Path.TrimEnd('/');
        foreach (SimulatedCiSystem system in new[] { SimulatedCiSystem.GitHubActions, SimulatedCiSystem.GitLabCi })
        {
            // OpenID Connect Discovery 1.0 section 4: the document is at ISSUER/.well-known/openid-configuration, and the
            // simulated issuer is the instance's issuer with a /github-actions or /gitlab-ci path.
            string prefix = "/oidc/" + SimulatedCi.PathSegment(system);
            if (path == "/" + SimulatedCi.PathSegment(system) + "/.well-known/openid-configuration")
            {
                Require(request.Method, "GET", null, null);
                return InstanceResponse.Json(_oidc.Discovery(baseUrl, SimulatedCi.IssuerFor(_oidc.Issuer, system)));
            }

            if (path == prefix + "/token")
            {
                Require(request.Method, "GET", null, null);
                string authorization = request.Authorization ?? throw InstanceErrors.TokenInvalid.ToException("no Authorization: bearer request token");
                if (!authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase))
                {
                    throw InstanceErrors.TokenInvalid.ToException("the Authorization header is not a bearer token");
                }

                var claims = SimulatedCi.DecodeRequestToken(authorization[7..].Trim());
                string audience = QueryValue(request.Query, "audience") ?? TokenVerifier.Audience;
                return InstanceResponse.Json(new JsonObject { ["value"] = _oidc.MintCi(system, claims, audience, _time.GetUtcNow()) }.ToJsonString());
            }
        }

        return null;
    }

    private static string? QueryValue(string? query, string name)
    {
        foreach (string pair in (query ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Uri.UnescapeDataString(pair[..eq]) == name)
            {
                return Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    private static void Require(string method, string expected, string? contentType, string? expectedType)
    {
        if (!string.Equals(method, expected, StringComparison.Ordinal))
        {
            throw InstanceErrors.MethodNotAllowed.ToException($"{method}; this endpoint takes {expected}");
        }

        // A missing content type is accepted (some clients omit it); a different one is refused.
        if (expectedType is not null && contentType is not null
            && !contentType.Split(';')[0].Trim().Equals(expectedType, StringComparison.OrdinalIgnoreCase))
        {
            throw InstanceErrors.MethodNotAllowed.ToException($"content type {contentType}; this endpoint takes {expectedType}");
        }
    }
}
