using System.Net;
using System.Text.Json;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Registry.Transport;

/// <summary>A bearer token and when to stop using it.</summary>
internal sealed record CachedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>The bearer token exchange (distribution token authentication spec and its OAuth2 variant).</summary>
internal sealed partial class RegistryTransport
{
    private async Task<CachedToken> FetchTokenAsync(RegistryScope scope, string? realm, string? service, string? challengeScope, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out Uri? realmUri))
        {
            throw OciErrors.TokenRequestFailed.ToException($"the challenge of {scope.ApiHost} has no absolute realm");
        }

        Endpoints.Check(realmUri, "the token realm");

        // Token spec: "scope: The resource in question ... can be specified multiple times". Ask for ours and, when the
        // registry named a different one in its challenge, for that one too.
        var scopes = scope.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (challengeScope is { Length: > 0 } asked)
        {
            scopes.AddRange(asked.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => !scopes.Contains(s)));
        }

        RegistryCredential? credential = await GetCredentialAsync(scope.Registry, cancellationToken).ConfigureAwait(false);
        Func<HttpRequestMessage> build;
        if (credential?.IdentityToken is { } refreshToken)
        {
            // OAuth2 token spec: "grant_type=refresh_token ... refresh_token ... client_id" POSTed as a form.
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"),
                new("client_id", "supplychain"),
                new("refresh_token", refreshToken),
                new("scope", string.Join(' ', scopes)),
            };
            if (service is not null)
            {
                form.Add(new("service", service));
            }

            build = () => new HttpRequestMessage(HttpMethod.Post, realmUri) { Content = new FormUrlEncodedContent(form) };
        }
        else
        {
            var query = new List<string>();
            if (service is not null)
            {
                query.Add("service=" + Uri.EscapeDataString(service));
            }

            query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
            var builder = new UriBuilder(realmUri);
            string existing = builder.Query.TrimStart('?');
            builder.Query = string.Join('&', (existing.Length > 0 ? [existing] : Array.Empty<string>()).Concat(query));
            Uri tokenUri = builder.Uri;
            string? basic = credential?.BasicParameter;
            build = () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
                if (basic is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "Basic " + basic);
                }

                return request;
            };
        }

        using HttpResponseMessage response = await SendWithRetryAsync(build, $"token for {scope.ApiHost}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw await ErrorAsync(response, $"token for {scope.ApiHost} ({(credential is null ? "anonymous" : credential.ToString())})", cancellationToken).ConfigureAwait(false);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw OciErrors.TokenRequestFailed.ToException($"token for {scope.ApiHost}: HTTP {(int)response.StatusCode}");
        }

        byte[] body = await ReadBodyAsync(response, Limits.MaxSmallResponseBytes, "token answer", cancellationToken).ConfigureAwait(false);
        TokenJson? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.TokenJson);
        }
        catch (JsonException ex)
        {
            throw OciErrors.TokenRequestFailed.ToException($"token for {scope.ApiHost}: the answer is not JSON", ex);
        }

        // Token spec: "token ... access_token ... For compatibility with OAuth 2.0, we will also accept token under the name access_token".
        string token = answer?.Token is { Length: > 0 } t ? t : answer?.AccessToken is { Length: > 0 } a ? a
            : throw OciErrors.TokenRequestFailed.ToException($"token for {scope.ApiHost}: the answer has neither token nor access_token");

        // Token spec: "expires_in ... (Optional) The duration in seconds since the token was issued that it will remain
        // valid. When omitted, this defaults to 60 seconds. For compatibility with older clients, a token should never be
        // returned with less than 60 seconds to live." A few seconds of margin keep a token from expiring in flight.
        TimeSpan lifetime = answer!.ExpiresIn is int seconds && seconds > 60 ? TimeSpan.FromSeconds(seconds) : Limits.DefaultTokenLifetime;
        return new CachedToken(token, _time.GetUtcNow() + lifetime - TimeSpan.FromSeconds(5));
    }
}
