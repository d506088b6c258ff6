using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;

namespace SupplyChain.Http;

/// <summary>
/// Sends requests with the guarantees every SupplyChain client needs: each attempt (connection, redirects, headers and
/// the whole body) ends within <see cref="HttpRetryPolicy.AttemptTimeout"/>; every body is read within a size limit
/// (Content-Length checked first, then the read capped); idempotent requests (and those a protocol allows) are retried
/// on 408, 429, 5xx but 501/505, timeouts and network errors, honouring Retry-After, within the policy's attempts and
/// total wait; redirects are followed without credentials once they leave the request's origin, and never from https
/// to http; remote text never reaches an exception message. Every HTTP status is returned to the caller, who maps it to
/// its own codes. Thread-safe; build once and reuse.
/// </summary>
public sealed class BoundedHttpClient : IDisposable
{
    /// <summary>The name of the <see cref="ActivitySource"/> of the layer: one activity per call.</summary>
    public const string ActivitySourceName = "SupplyChain.Http";

    private static readonly string[] CredentialHeaders = ["Authorization", "Proxy-Authorization", "Cookie"];

    private readonly HttpClient _http;
    private readonly BoundedHttpClientOptions _options;
    private readonly HttpRetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;

    /// <summary>Creates a client over <see cref="BoundedHttpClientOptions.Transport"/>, or over its own pooled handler.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The retry policy is invalid (callers validate it first, with their own code).</exception>
    public BoundedHttpClient(BoundedHttpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Retry is null || !options.Retry.IsValid)
        {
            throw new ArgumentException("the retry policy is invalid", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        _options = options;
        _retry = options.Retry;
        _time = options.TimeProvider;
        _logger = options.Logger;
        _http = options.Transport is { } transport
            ? new HttpClient(transport, disposeHandler: false)
            : new HttpClient(CreateDefaultTransport(), disposeHandler: true);

        // Each attempt has its own deadline (HttpRetryPolicy.AttemptTimeout), covering the body too.
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>
    /// The transport used when none is given: a <see cref="SocketsHttpHandler"/> whose pooled connections are renewed every
    /// 2 minutes (so DNS changes are seen), without cookies, automatic redirects or decompression.
    /// </summary>
    /// <returns>A new handler; the caller disposes it.</returns>
    public static SocketsHttpHandler CreateDefaultTransport() => new()
    {
        PooledConnectionLifetime = Limits.PooledConnectionLifetime,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    };

    /// <summary>
    /// Sends <paramref name="call"/> and reads its answer within the limits. Returns the answer for every HTTP status
    /// (after the retries for retryable ones); throws only for what the layer owns, with the caller's codes.
    /// </summary>
    /// <param name="call">The request.</param>
    /// <param name="cancellationToken">Cancels the call (an <see cref="OperationCanceledException"/>, never a code).</param>
    /// <returns>The answer.</returns>
    /// <exception cref="SupplyChainException">
    /// <see cref="HttpErrorCodes.Unreachable"/> or <see cref="HttpErrorCodes.TimedOut"/> after the attempts,
    /// <see cref="HttpErrorCodes.TooLarge"/> for a 2xx body over its limit.
    /// </exception>
    public async Task<HttpAnswer> SendAsync(HttpCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        HttpErrorCodes errors = call.Errors ?? _options.Errors;
        HttpMethod method;
        Uri url;
        using (HttpRequestMessage probe = call.CreateRequest())
        {
            method = probe.Method;
            url = probe.RequestUri ?? throw new ArgumentException("the request has no URL", nameof(call));
        }

        string logUrl = HttpTelemetry.Redacted(url);
        using Activity? activity = HttpTelemetry.Start(_options.ClientName, method, url);
        bool idempotent = IsIdempotent(method) || call.RetryNonIdempotent;
        TimeSpan waited = TimeSpan.Zero;
        for (int attempt = 1; ; attempt++)
        {
            long started = _time.GetTimestamp();
            Attempt result = await AttemptAsync(call, attempt, idempotent, waited, cancellationToken).ConfigureAwait(false);
            long durationMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            if (result.Answer is { } answer)
            {
                if (_logger is not null)
                {
                    HttpTelemetry.LogAnswer(_logger, _options.ClientName, method.Method, logUrl, (int)answer.StatusCode, durationMs, attempt);
                }

                HttpTelemetry.Answered(activity, (int)answer.StatusCode, attempt);
                return answer;
            }

            if (result.Delay is not { } delay)
            {
                if (_logger is not null)
                {
                    HttpTelemetry.LogFailure(_logger, _options.ClientName, method.Method, logUrl, result.Failure, attempt);
                }

                HttpTelemetry.Failed(activity, result.Failure, attempt);
                throw result.Error!(errors, attempt);
            }

            if (_logger is not null)
            {
                HttpTelemetry.LogRetry(_logger, _options.ClientName, method.Method, logUrl, attempt, result.Failure, durationMs, (long)delay.TotalMilliseconds);
            }

            activity?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["attempt"] = attempt, ["failure"] = result.Failure }));
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }

            waited += delay;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    /// <summary>RFC 9110 section 9.2.2: PUT, DELETE and the safe methods (GET, HEAD, OPTIONS, TRACE) are idempotent.</summary>
    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete
        || method == HttpMethod.Options || method == HttpMethod.Trace;

    /// <summary>RFC 9110 section 15: 408, 429 and 5xx but 501 (Not Implemented) and 505 (HTTP Version Not Supported) may pass.</summary>
    private static bool IsRetryableStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status is not HttpStatusCode.NotImplemented and not HttpStatusCode.HttpVersionNotSupported);

    private async Task<Attempt> AttemptAsync(HttpCall call, int attempt, bool idempotent, TimeSpan waited, CancellationToken cancellationToken)
    {
        TimeSpan attemptTimeout = call.AttemptTimeout is { } own && own > TimeSpan.Zero && own != Timeout.InfiniteTimeSpan ? own : _retry.AttemptTimeout;
        using var deadline = new CancellationTokenSource(attemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        HttpResponseMessage? response = null;
        try
        {
            (response, Uri answeredBy, HttpMethod finalMethod) = await SendFollowingRedirectsAsync(call, linked.Token).ConfigureAwait(false);
            if (IsRetryableStatus(response.StatusCode) && idempotent
                && NextDelay(attempt, RetryAfter(response), waited) is { } delay)
            {
                return Attempt.Retry(delay, "HTTP " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return new Attempt(await ReadAnswerAsync(call, response, answeredBy, finalMethod, attempt, linked.Token, cancellationToken).ConfigureAwait(false), null, string.Empty, null);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            string seconds = attemptTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            return Failure(
                idempotent, attempt, waited, "timeout",
                (codes, n) => codes.TimedOut.ToException($"{call.Description}: no complete answer within {seconds} s ({Attempts(n)})", ex));
        }
        catch (HttpRequestException ex)
        {
            // A connection that could not be opened sent nothing: even a POST may be tried again.
            bool nothingSent = ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError;
            return Failure(
                idempotent || nothingSent, attempt, waited, ex.HttpRequestError.ToString(),
                (codes, n) => codes.Unreachable.ToException($"{call.Description}: {ex.HttpRequestError} ({Attempts(n)})", ex));
        }
        catch (IOException ex)
        {
            return Failure(
                idempotent, attempt, waited, "connection broken",
                (codes, n) => codes.Unreachable.ToException($"{call.Description}: the connection broke off ({Attempts(n)})", ex));
        }
        finally
        {
            response?.Dispose();
        }
    }

    private Attempt Failure(bool retryable, int attempt, TimeSpan waited, string kind, Func<HttpErrorCodes, int, SupplyChainException> error) =>
        new(null, retryable ? NextDelay(attempt, null, waited) : null, kind, error);

    /// <summary>Sends, following redirects within the attempt; returns the final response, the URL that gave it and the method it answered.</summary>
    private async Task<(HttpResponseMessage Response, Uri Url, HttpMethod Method)> SendFollowingRedirectsAsync(HttpCall call, CancellationToken token)
    {
        HttpRequestMessage request = Prepare(call.CreateRequest());
        Uri origin = request.RequestUri!;
        bool credentialsDropped = false;
        try
        {
            for (int hop = 0; ; hop++)
            {
                HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                Uri current = request.RequestUri!;
                if (!call.FollowRedirects || !IsRedirect(response.StatusCode))
                {
                    return (response, current, request.Method);
                }

                string? refused = RedirectTarget(response, current, hop, out Uri? target);
                if (refused is not null)
                {
                    if (_logger is not null)
                    {
                        string from = HttpTelemetry.Redacted(current);
                        HttpTelemetry.LogRedirectRefused(_logger, _options.ClientName, request.Method.Method, from, (int)response.StatusCode, refused);
                    }

                    return (response, current, request.Method);
                }

                // RFC 9110 section 15.4: 303 (and, as user agents do, 301/302 after a POST) continue with GET; 307/308 repeat the method and body.
                HttpMethod method = request.Method;
                bool toGet = (response.StatusCode == HttpStatusCode.SeeOther && method != HttpMethod.Head)
                    || (response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found && method == HttpMethod.Post);

                // Credentials belong to the request's origin (RFC 6750 section 5.3, RFC 9110 section 11.6.2); once a redirect leaves it they are not sent again.
                bool leaves = !SameOrigin(origin, target!);
                if (leaves && !toGet && request.Content is not null)
                {
                    // A 307/308 repeats the body, and a body can carry credentials too (a token form, an identity token): never to another origin.
                    if (_logger is not null)
                    {
                        string from = HttpTelemetry.Redacted(current);
                        HttpTelemetry.LogRedirectRefused(_logger, _options.ClientName, method.Method, from, (int)response.StatusCode, "a body is not sent to another origin");
                    }

                    return (response, current, request.Method);
                }

                credentialsDropped |= leaves;
                HttpRequestMessage next = Prepare(call.CreateRequest());
                next.RequestUri = target;
                if (toGet)
                {
                    next.Method = HttpMethod.Get;
                    next.Content?.Dispose();
                    next.Content = null;
                }

                if (credentialsDropped)
                {
                    foreach (string header in CredentialHeaders)
                    {
                        next.Headers.Remove(header);
                    }
                }

                if (_logger is not null)
                {
                    string from = HttpTelemetry.Redacted(current);
                    string to = HttpTelemetry.Redacted(target!);
                    HttpTelemetry.LogRedirect(_logger, _options.ClientName, method.Method, from, (int)response.StatusCode, to, credentialsDropped ? " without credentials" : string.Empty);
                }

                response.Dispose();
                request.Dispose();
                request = next;
            }
        }
        finally
        {
            request.Dispose();
        }
    }

    private HttpRequestMessage Prepare(HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } url || url.Scheme is not ("https" or "http"))
        {
            request.Dispose();
            throw new ArgumentException("the request URL is not an absolute http(s) URL");
        }

        if (_options.UserAgent is { } agent && !request.Headers.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", agent);
        }

        return request;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Where a redirect leads, or why it is not followed (the 3xx is then the answer).</summary>
    private static string? RedirectTarget(HttpResponseMessage response, Uri current, int hop, out Uri? target)
    {
        target = null;
        if (hop >= Limits.MaxRedirects)
        {
            return "too many redirects";
        }

        if (response.Headers.Location is not { } location)
        {
            return "no Location";
        }

        target = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (target.Scheme is not ("https" or "http"))
        {
            return "not an http(s) URL";
        }

        // Never from https to http: what TLS protected would travel in the clear.
        return current.Scheme == "https" && target.Scheme == "http" ? "https to http" : null;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>Reads the body of the final response within the attempt's deadline.</summary>
    private async Task<HttpAnswer> ReadAnswerAsync(HttpCall call, HttpResponseMessage response, Uri answeredBy, HttpMethod method, int attempt, CancellationToken token, CancellationToken callerToken)
    {
        // RFC 9110 sections 9.3.2, 15.3.5 and 15.4.5: the answer to a HEAD, a 204 and a 304 have no content (a
        // Content-Length there describes what a GET would return).
        if (method == HttpMethod.Head || response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified)
        {
            return new HttpAnswer(response, answeredBy, [], true, false, attempt);
        }

        if ((int)response.StatusCode is >= 200 and < 300)
        {
            BoundedRead read = await BoundedContent.ReadAsync(response.Content, call.MaxResponseBytes, call.ExpectedBytes, token).ConfigureAwait(false);
            if (read.Exceeded)
            {
                HttpErrorCodes codes = call.Errors ?? _options.Errors;
                long? declared = response.Content.Headers.ContentLength;
                throw codes.TooLarge.ToException(declared > call.MaxResponseBytes
                    ? $"{call.Description}: Content-Length {declared}, limit {call.MaxResponseBytes}"
                    : $"{call.Description}: more than {(call.ExpectedBytes is { } e && e <= call.MaxResponseBytes ? e : call.MaxResponseBytes)} bytes");
            }

            return new HttpAnswer(response, answeredBy, read.Bytes, true, false, attempt);
        }

        // An error body is diagnostics only: cut at its limit; one that trickles or breaks off ends with the attempt, never as a failure.
        if (call.MaxErrorBodyBytes <= 0 || response.Content.Headers.ContentLength == 0)
        {
            return new HttpAnswer(response, answeredBy, [], call.MaxErrorBodyBytes > 0 || response.Content.Headers.ContentLength == 0, false, attempt);
        }

        try
        {
            BoundedRead read = await BoundedContent.ReadAsync(response.Content, call.MaxErrorBodyBytes, null, token).ConfigureAwait(false);
            return new HttpAnswer(response, answeredBy, read.Bytes, !read.Exceeded, false, attempt);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return new HttpAnswer(response, answeredBy, [], false, true, attempt);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new HttpAnswer(response, answeredBy, [], false, false, attempt);
        }
    }

    /// <summary>The wait Retry-After asks for (RFC 9110 section 10.2.3: delay-seconds or an HTTP-date), or <c>null</c>.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (response.Headers.RetryAfter?.Date is { } date)
        {
            TimeSpan wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>
    /// The wait before the next attempt, or <c>null</c> when there is none: the attempts are used up, or Retry-After asks
    /// for more than the total wait has left. Without Retry-After: exponential backoff with full jitter (a random wait in
    /// [0, initial * 2^(attempt-1)]), capped by the longest single wait and by what is left of the total.
    /// </summary>
    private TimeSpan? NextDelay(int attempt, TimeSpan? retryAfter, TimeSpan waited)
    {
        if (attempt >= _retry.MaxAttempts)
        {
            return null;
        }

        TimeSpan longest = Min(_retry.MaxDelay, Limits.MaxRetryDelay);
        TimeSpan left = _retry.MaxTotalDelay - waited;
        if (retryAfter is { } requested)
        {
            TimeSpan wait = Min(requested, longest);
            return wait <= left ? wait : null;
        }

        double ceiling = Math.Min(longest.TotalMilliseconds, _retry.InitialDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        TimeSpan jittered = TimeSpan.FromMilliseconds(ceiling * Random.Shared.NextDouble());
        return left <= TimeSpan.Zero ? TimeSpan.Zero : Min(jittered, left);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Attempts(int n) => n == 1 ? "1 attempt" : n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " attempts";

    /// <summary>The outcome of one attempt: an answer, or a failure with the wait before the next attempt (none: give up).</summary>
    private sealed record Attempt(HttpAnswer? Answer, TimeSpan? Delay, string Failure, Func<HttpErrorCodes, int, SupplyChainException>? Error)
    {
        public static Attempt Retry(TimeSpan delay, string failure) => new(null, delay, failure, null);
    }
}
