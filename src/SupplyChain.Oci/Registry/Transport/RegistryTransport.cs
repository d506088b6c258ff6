using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Oci.Registry.Transport;

/// <summary>
/// Sends registry requests: the scheme rule of <see cref="RegistryEndpoints"/>, authentication (anonymous, Basic, or
/// bearer tokens from <c>WWW-Authenticate</c> challenges, cached per registry and scope until expiry) and bounded
/// retries (<see cref="RegistryRetryPolicy"/>). Thread-safe. Secrets never reach a message: errors name the request
/// and status only.
/// </summary>
internal sealed partial class RegistryTransport
{
    private readonly HttpClient _http;
    private readonly RegistryRetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly IRegistryCredentialSource? _credentials;
    private readonly string _userAgent;
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Host, string Scopes), CachedToken> _tokens = new();

    public RegistryTransport(HttpClient http, OciRegistryClientOptions options)
    {
        _http = http;
        _retry = options.Retry;
        _time = options.TimeProvider;
        _credentials = options.Credentials;
        _userAgent = options.UserAgent;
        Endpoints = new RegistryEndpoints(options.AllowInsecureRegistries, options.InsecureRegistries);
    }

    public RegistryEndpoints Endpoints { get; }

    /// <summary>
    /// Sends the request <paramref name="build"/> makes (rebuilt for every attempt), authenticating for
    /// <paramref name="scope"/>. A 401 leads to one (re)authentication from its challenge and one more try; a second
    /// 401, or a 401 without a usable challenge, is <c>SC4004</c>. 429 and 5xx that outlast the retries throw
    /// <c>SC4005</c>/<c>SC4003</c>; every other status is returned to the caller.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(RegistryScope scope, Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken)
    {
        bool renewed = false;
        string? challengeScope = null;
        Uri registry = Endpoints.Base(scope.ApiHost);
        while (true)
        {
            string? authorization = await AuthorizationAsync(scope, challengeScope, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response = await SendWithRetryAsync(
                () =>
                {
                    HttpRequestMessage request = build();

                    // Credentials go to the registry's own host and port only, never to a storage host a Location names.
                    if (authorization is not null && request.RequestUri is { } target
                        && string.Equals(target.Host, registry.Host, StringComparison.OrdinalIgnoreCase) && target.Port == registry.Port)
                    {
                        request.Headers.TryAddWithoutValidation("Authorization", authorization);
                    }

                    return request;
                },
                what,
                cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            using (response)
            {
                AuthChallenge? challenge = AuthChallenge.Parse(RegistryResponses.Header(response, "WWW-Authenticate"));
                if (renewed || challenge is null || !(challenge.IsBearer || challenge.IsBasic))
                {
                    throw await ErrorAsync(response, renewed ? what + " (after authenticating)" : what + " (no usable WWW-Authenticate challenge)", cancellationToken).ConfigureAwait(false);
                }

                if (challenge.IsBasic && await GetCredentialAsync(scope.Registry, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw await ErrorAsync(response, what + " (Basic authentication required and no credentials for " + scope.Registry + ")", cancellationToken).ConfigureAwait(false);
                }

                // "a 401 after a token triggers one refresh, not a loop": forget the token and challenge-derived state once.
                // The realm and service are the registry's; the scope it named belongs to this request only.
                _challenges[scope.ApiHost] = challenge;
                challengeScope = challenge.Scope;
                _tokens.TryRemove((scope.ApiHost, scope.Scopes), out _);
                renewed = true;
            }
        }
    }

    /// <summary>
    /// Reads a response body within <paramref name="maxBytes"/> and the per-attempt timeout; with
    /// <paramref name="expectedBytes"/> (a descriptor's size) into one buffer of that size.
    /// </summary>
    public async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, long maxBytes, string what, CancellationToken cancellationToken, long? expectedBytes = null)
    {
        using var timeout = new CancellationTokenSource(_retry.AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await RegistryResponses.ReadLimitedAsync(response.Content, maxBytes, expectedBytes, what, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw OciErrors.RegistryUnreachable.ToException($"{what}: the body did not arrive within {_retry.AttemptTimeout.TotalSeconds:0.###} s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw OciErrors.RegistryUnreachable.ToException($"{what}: the connection failed while reading ({ex.HttpRequestError})", ex);
        }
        catch (IOException ex)
        {
            throw OciErrors.RegistryUnreachable.ToException($"{what}: the connection failed while reading", ex);
        }
    }

    /// <summary>The coded exception for an unexpected answer, its error body read within the per-attempt timeout (<see cref="RegistryResponses.ErrorAsync"/>).</summary>
    public Task<SupplyChainException> ErrorAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        RegistryResponses.ErrorAsync(response, what, _retry.AttemptTimeout, _time, cancellationToken);

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

    /// <summary>Sends with bounded retries on 429, 5xx (but 501/505), timeouts and network errors, honouring Retry-After.</summary>
    private async Task<HttpResponseMessage> SendWithRetryAsync(Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken)
    {
        TimeSpan waited = TimeSpan.Zero;
        for (int attempt = 1; ; attempt++)
        {
            bool last = attempt >= _retry.MaxAttempts;
            TimeSpan? retryAfter = null;
            using (var timeout = new CancellationTokenSource(_retry.AttemptTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                HttpResponseMessage response;
                try
                {
                    using HttpRequestMessage request = build();
                    request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    if (last)
                    {
                        throw OciErrors.RegistryUnreachable.ToException($"{what}: no answer within {_retry.AttemptTimeout.TotalSeconds:0.###} s ({attempt} attempts)", ex);
                    }

                    waited += await DelayAsync(attempt, null, waited, what, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (HttpRequestException ex)
                {
                    if (last)
                    {
                        throw OciErrors.RegistryUnreachable.ToException($"{what}: {ex.HttpRequestError} ({attempt} attempts)", ex);
                    }

                    waited += await DelayAsync(attempt, null, waited, what, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                int status = (int)response.StatusCode;
                bool retryable = status == 429 || (status >= 500 && status is not 501 and not 505);
                if (!retryable)
                {
                    return response;
                }

                using (response)
                {
                    retryAfter = RetryAfter(response.Headers.RetryAfter);
                    if (last || !FitsTotal(retryAfter, waited))
                    {
                        throw await ErrorAsync(response, $"{what} ({attempt} attempt{(attempt == 1 ? string.Empty : "s")})", cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            waited += await DelayAsync(attempt, retryAfter, waited, what, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            TimeSpan wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Whether the wait Retry-After asks for still fits the total delay budget (asking for more than the budget fails now rather than later).</summary>
    private bool FitsTotal(TimeSpan? retryAfter, TimeSpan waited) =>
        retryAfter is not { } requested || waited + Min(requested, MaxSingleDelay) <= _retry.MaxTotalDelay;

    private TimeSpan MaxSingleDelay => Min(_retry.MaxDelay, Limits.MaxRetryDelay);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<TimeSpan> DelayAsync(int attempt, TimeSpan? retryAfter, TimeSpan waited, string what, CancellationToken cancellationToken)
    {
        TimeSpan delay;
        if (retryAfter is { } requested)
        {
            delay = Min(requested, MaxSingleDelay);
        }
        else
        {
            // Exponential backoff with full jitter: a random wait in [0, initial * 2^(attempt-1)], capped.
            double ceiling = Math.Min(MaxSingleDelay.TotalMilliseconds, _retry.InitialDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
            delay = TimeSpan.FromMilliseconds(ceiling * Random.Shared.NextDouble());
        }

        TimeSpan budget = _retry.MaxTotalDelay - waited;
        if (budget <= TimeSpan.Zero)
        {
            throw OciErrors.RegistryUnreachable.ToException($"{what}: the retry budget of {_retry.MaxTotalDelay.TotalSeconds:0.###} s is spent");
        }

        delay = Min(delay, budget);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        return delay;
    }
}
