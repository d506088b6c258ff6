using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;
using SupplyChain.Http;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Oci.Registry.Transport;

/// <summary>
/// Sends registry requests: the scheme rule of <see cref="RegistryEndpoints"/> and authentication (anonymous, Basic, or
/// bearer tokens from <c>WWW-Authenticate</c> challenges, cached per registry and scope until expiry) over the shared
/// HTTP layer (<see cref="BoundedHttpClient"/>: bounded reads, one deadline per attempt over headers and body, bounded
/// retries, credential-stripping redirects). Thread-safe. Secrets never reach a message: errors name the request and
/// status only.
/// </summary>
internal sealed partial class RegistryTransport : IDisposable
{
    /// <summary>SC4002 for connection failures and timeouts, SC4007 for oversized bodies.</summary>
    private static readonly HttpErrorCodes Codes = new(OciErrors.RegistryUnreachable, OciErrors.RegistryUnreachable, OciErrors.SizeLimitExceeded);

    private readonly BoundedHttpClient _http;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _time;
    private readonly IRegistryCredentialSource? _credentials;
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Host, string Scopes), CachedToken> _tokens = new();

    public RegistryTransport(OciRegistryClientOptions options)
    {
        _attemptTimeout = options.Retry.AttemptTimeout;
        _time = options.TimeProvider;
        _credentials = options.Credentials;
        _http = new BoundedHttpClient(new BoundedHttpClientOptions(Codes)
        {
            Transport = options.Transport,
            Retry = options.Retry,
            TimeProvider = options.TimeProvider,
            Logger = options.LoggerFactory?.CreateLogger<OciRegistryClient>(),
            ClientName = "oci",
            UserAgent = options.UserAgent,
        });
        Endpoints = new RegistryEndpoints(options.AllowInsecureRegistries, options.InsecureRegistries);
    }

    public RegistryEndpoints Endpoints { get; }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends the request <paramref name="build"/> makes (rebuilt for every attempt), authenticating for
    /// <paramref name="scope"/>, and reads a 2xx body within <paramref name="maxBytes"/> (into one buffer of
    /// <paramref name="expectedBytes"/> when a descriptor gives the size). A 401 leads to one (re)authentication from its
    /// challenge and one more try; a second 401, or a 401 without a usable challenge, is <c>SC4004</c>. 429 and 5xx that
    /// outlast the retries throw <c>SC4005</c>/<c>SC4003</c>; every other status is returned to the caller.
    /// </summary>
    public async Task<HttpAnswer> SendAsync(RegistryScope scope, Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken, long maxBytes = Limits.MaxSmallResponseBytes, long? expectedBytes = null)
    {
        bool renewed = false;
        string? challengeScope = null;
        Uri registry = Endpoints.Base(scope.ApiHost);
        while (true)
        {
            string? authorization = await AuthorizationAsync(scope, challengeScope, cancellationToken).ConfigureAwait(false);
            HttpAnswer answer = await SendRetryingAsync(
                () =>
                {
                    HttpRequestMessage request = build();

                    // Credentials go to the registry's own host and port only, never to a storage host a Location names
                    // (and the layer drops them on a redirect that leaves that origin).
                    if (authorization is not null && request.RequestUri is { } target
                        && string.Equals(target.Host, registry.Host, StringComparison.OrdinalIgnoreCase) && target.Port == registry.Port)
                    {
                        request.Headers.TryAddWithoutValidation("Authorization", authorization);
                    }

                    return request;
                },
                what,
                maxBytes,
                expectedBytes,
                cancellationToken).ConfigureAwait(false);
            if (answer.StatusCode != HttpStatusCode.Unauthorized)
            {
                return answer;
            }

            AuthChallenge? challenge = AuthChallenge.Parse(answer.Header("WWW-Authenticate"));
            if (renewed || challenge is null || !(challenge.IsBearer || challenge.IsBasic))
            {
                throw Error(answer, renewed ? what + " (after authenticating)" : what + " (no usable WWW-Authenticate challenge)");
            }

            if (challenge.IsBasic && await GetCredentialAsync(scope.Registry, cancellationToken).ConfigureAwait(false) is null)
            {
                throw Error(answer, what + " (Basic authentication required and no credentials for " + scope.Registry + ")");
            }

            // "a 401 after a token triggers one refresh, not a loop": forget the token and challenge-derived state once.
            // The realm and service are the registry's; the scope it named belongs to this request only.
            _challenges[scope.ApiHost] = challenge;
            challengeScope = challenge.Scope;
            _tokens.TryRemove((scope.ApiHost, scope.Scopes), out _);
            renewed = true;
        }
    }

    /// <summary>The coded exception for an unexpected answer (<see cref="RegistryResponses.Error"/>), its error body already read within the attempt's deadline.</summary>
    public SupplyChainException Error(HttpAnswer answer, string what) => RegistryResponses.Error(answer, what, _attemptTimeout);

    /// <summary>
    /// One request through the layer. Every registry request may be repeated: GET, HEAD, PUT and DELETE are idempotent,
    /// a repeated POST opens another upload session (the unused one expires), a repeated PATCH names the same
    /// Content-Range (a registry that already has it answers 416), and a token request has no side effect. 429 and 5xx
    /// still there after the retries are errors here.
    /// </summary>
    private async Task<HttpAnswer> SendRetryingAsync(Func<HttpRequestMessage> build, string what, long maxBytes, long? expectedBytes, CancellationToken cancellationToken)
    {
        HttpAnswer answer = await _http.SendAsync(
            new HttpCall(build, what)
            {
                MaxResponseBytes = maxBytes,
                ExpectedBytes = expectedBytes,
                MaxErrorBodyBytes = Limits.MaxErrorBodyBytes,
                RetryNonIdempotent = true,
            },
            cancellationToken).ConfigureAwait(false);
        int status = (int)answer.StatusCode;
        bool retryable = status == 429 || (status >= 500 && status is not 501 and not 505);
        return retryable
            ? throw Error(answer, $"{what} ({answer.Attempts} attempt{(answer.Attempts == 1 ? string.Empty : "s")})")
            : answer;
    }

    private ValueTask<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken) =>
        _credentials is null ? ValueTask.FromResult<RegistryCredential?>(null) : _credentials.GetCredentialAsync(registry, cancellationToken);

    private async Task<string?> AuthorizationAsync(RegistryScope scope, string? challengeScope, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(scope.ApiHost, out AuthChallenge? challenge))
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            RegistryCredential? credential = await GetCredentialAsync(scope.Registry, cancellationToken).ConfigureAwait(false);
            return credential?.BasicParameter is { } basic ? "Basic " + basic : null;
        }

        if (_tokens.TryGetValue((scope.ApiHost, scope.Scopes), out CachedToken? cached) && cached.ExpiresAt > _time.GetUtcNow())
        {
            return "Bearer " + cached.Token;
        }

        CachedToken token = await FetchTokenAsync(scope, challenge.Realm, challenge.Service, challengeScope, cancellationToken).ConfigureAwait(false);
        if (_tokens.Count >= Limits.MaxCachedTokens)
        {
            // Bounded: a process touching very many repositories starts over rather than growing without end.
            _tokens.Clear();
        }

        _tokens[(scope.ApiHost, scope.Scopes)] = token;
        return "Bearer " + token.Token;
    }
}
