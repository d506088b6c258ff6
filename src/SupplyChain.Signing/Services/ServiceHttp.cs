using System.Net;
using System.Net.Http.Headers;
using SupplyChain.Signing.Errors;

namespace SupplyChain.Signing.Services;

/// <summary>A response read in full (within a size limit).</summary>
internal sealed record ServiceResponse(HttpStatusCode Status, byte[] Body, Uri? Location);

/// <summary>
/// Sends requests to one Sigstore service with timeouts, bounded retries and response size limits. Error messages
/// name the service and status only: request bodies (which hold the identity token) never reach them.
/// </summary>
internal sealed class ServiceHttp
{
    private readonly HttpClient _http;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _time;

    public ServiceHttp(HttpClient http, RetryPolicy retry, TimeProvider time)
    {
        _http = http;
        _retry = retry;
        _time = time;
    }

    /// <summary>
    /// Sends the request built by <paramref name="build"/> (rebuilt for each attempt). Returns 2xx responses and
    /// the statuses in <paramref name="accept"/>; retries 5xx, 429 and timeouts; throws SC2201/SC2202/SC2203/SC2205.
    /// </summary>
    public async Task<ServiceResponse> SendAsync(string service, Func<HttpRequestMessage> build, int maxBytes, CancellationToken cancellationToken, params HttpStatusCode[] accept)
    {
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
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    if (last)
                    {
                        throw SigningErrors.ServiceTimeout.ToException($"{service}: no answer within {_retry.AttemptTimeout.TotalSeconds:0.###} s ({attempt} attempts)", ex);
                    }

                    await DelayAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (HttpRequestException ex)
                {
                    if (last)
                    {
                        throw SigningErrors.ServiceUnreachable.ToException($"{service}: {ex.HttpRequestError} ({attempt} attempts)", ex);
                    }

                    await DelayAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using (response)
                {
                    int status = (int)response.StatusCode;
                    if ((status is >= 200 and < 300) || accept.Contains(response.StatusCode))
                    {
                        byte[] body;
                        try
                        {
                            body = await ReadLimitedAsync(service, response.Content, maxBytes, linked.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw SigningErrors.ServiceTimeout.ToException($"{service}: the response body did not arrive within the timeout", ex);
                        }

                        Uri? location = response.Headers.Location;
                        if (location is not null && !location.IsAbsoluteUri && response.RequestMessage?.RequestUri is { } requestUri)
                        {
                            location = new Uri(requestUri, location);
                        }

                        return new ServiceResponse(response.StatusCode, body, location);
                    }

                    bool retryable = status >= 500 || status == 429;
                    if (!retryable || last)
                    {
                        throw SigningErrors.ServiceStatus.ToException($"{service}: HTTP {status} {response.ReasonPhrase} ({attempt} attempt{(attempt == 1 ? string.Empty : "s")})");
                    }

                    retryAfter = RetryAfter(response.Headers.RetryAfter);
                }
            }

            await DelayAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
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

    private Task DelayAsync(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        TimeSpan max = _retry.MaxDelay < Limits.MaxRetryDelay ? _retry.MaxDelay : Limits.MaxRetryDelay;
        TimeSpan delay;
        if (retryAfter is { } requested)
        {
            delay = requested < max ? requested : max;
        }
        else
        {
            // Exponential backoff with full jitter: a random wait in [0, initial * 2^(attempt-1)], capped.
            double ceiling = Math.Min(max.TotalMilliseconds, _retry.InitialDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
            delay = TimeSpan.FromMilliseconds(ceiling * Random.Shared.NextDouble());
        }

        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);
    }

    private static async Task<byte[]> ReadLimitedAsync(string service, HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw SigningErrors.ServiceResponseTooLarge.ToException($"{service}: {length} bytes, limit {maxBytes}");
        }

        using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw SigningErrors.ServiceResponseTooLarge.ToException($"{service}: more than {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
