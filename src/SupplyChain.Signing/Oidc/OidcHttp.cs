using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;
using SupplyChain.Http;

namespace SupplyChain.Signing.Oidc;

/// <summary>
/// The OIDC flows' requests through the shared HTTP layer (bounded reads, one deadline per attempt over headers and
/// body, retries of the GETs), answers read into source-generated DTOs. Messages never include response bodies (they
/// may hold tokens); every failure carries the flow's own code.
/// </summary>
internal sealed class OidcHttp : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");
    private readonly BoundedHttpClient _http;

    public OidcHttp(HttpMessageHandler? transport, HttpRetryPolicy retry, TimeProvider time, ILogger? logger)
    {
        // The codes given here are replaced per call (HttpCall.Errors): each flow fails with its own.
        _http = new BoundedHttpClient(new BoundedHttpClientOptions(HttpErrorCodes.All(SigningErrors.OidcDiscoveryFailed))
        {
            Transport = transport,
            Retry = retry,
            TimeProvider = time,
            Logger = logger,
            ClientName = "oidc",
        });
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends and reads a JSON object answer of any status (an OAuth error answer is JSON too, RFC 6749 5.2) into
    /// <paramref name="type"/>. GETs are retried; a POST (it may spend a one-time code) is not.
    /// </summary>
    public async Task<(int Status, T Body)> SendJsonAsync<T>(Func<HttpRequestMessage> build, JsonTypeInfo<T> type, ErrorCode error, string what, CancellationToken cancellationToken)
        where T : class
    {
        HttpAnswer answer = await SendAsync(build, error, what, null, cancellationToken).ConfigureAwait(false);
        if (!answer.BodyComplete)
        {
            throw error.ToException($"{what}: the response exceeds the size limit or did not arrive in time");
        }

        try
        {
            T? body = JsonSerializer.Deserialize(answer.Body, type);
            return body is null ? throw error.ToException($"{what}: the response is not a JSON object") : ((int)answer.StatusCode, body);
        }
        catch (JsonException e)
        {
            throw error.ToException($"{what}: the response is not a JSON object of the expected shape", e);
        }
    }

    /// <summary>Sends and reads the answer within the OIDC response limit.</summary>
    public Task<HttpAnswer> SendAsync(Func<HttpRequestMessage> build, ErrorCode error, string what, TimeSpan? attemptTimeout, CancellationToken cancellationToken) =>
        _http.SendAsync(
            new HttpCall(
                () =>
                {
                    HttpRequestMessage request = build();
                    request.Headers.Accept.Add(Json);
                    return request;
                },
                what)
            {
                MaxResponseBytes = Limits.MaxOidcResponseBytes,
                MaxErrorBodyBytes = Limits.MaxOidcResponseBytes,
                Errors = HttpErrorCodes.All(error),
                AttemptTimeout = attemptTimeout,
            },
            cancellationToken);
}
