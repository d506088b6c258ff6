using System.Net;
using System.Text;
using SupplyChain.Http;

namespace SupplyChain.Signing.Services;

/// <summary>A response read in full (within a size limit).</summary>
internal sealed record ServiceResponse(HttpStatusCode Status, byte[] Body, Uri? Location);

/// <summary>
/// Sends requests to the Sigstore services (Fulcio, Rekor, TSA) through the shared HTTP layer: one deadline per attempt
/// over headers and body, bounded retries, response size limits. Error messages name the service and status only:
/// request bodies (which hold the identity token) and what the service answered never reach them (the answer's text
/// is in <see cref="Core.Errors.SupplyChainException.RemoteDetail"/>).
/// </summary>
internal sealed class ServiceHttp : IDisposable
{
    /// <summary>SC2203 unreachable, SC2202 timed out, SC2205 too large.</summary>
    private static readonly HttpErrorCodes Codes = new(SigningErrors.ServiceUnreachable, SigningErrors.ServiceTimeout, SigningErrors.ServiceResponseTooLarge);

    private readonly BoundedHttpClient _http;

    public ServiceHttp(HttpMessageHandler? transport, HttpRetryPolicy retry, TimeProvider time, Microsoft.Extensions.Logging.ILogger? logger)
    {
        _http = new BoundedHttpClient(new BoundedHttpClientOptions(Codes)
        {
            Transport = transport,
            Retry = retry,
            TimeProvider = time,
            Logger = logger,
            ClientName = "sigstore",
        });
    }

    /// <summary>
    /// Sends the request built by <paramref name="build"/> (rebuilt for each attempt). Returns 2xx responses and
    /// the statuses in <paramref name="accept"/>; retries 5xx, 429 and timeouts; throws SC2201/SC2202/SC2203/SC2205.
    /// The POSTs to Fulcio, Rekor and a TSA may be repeated: each certificate or timestamp request stands alone, and
    /// Rekor answers an entry it already has with 409 Conflict (openapi.yaml createLogEntry), which is accepted here.
    /// </summary>
    public async Task<ServiceResponse> SendAsync(string service, Func<HttpRequestMessage> build, int maxBytes, CancellationToken cancellationToken, params HttpStatusCode[] accept)
    {
        HttpAnswer answer = await _http.SendAsync(
            new HttpCall(build, service) { MaxResponseBytes = maxBytes, RetryNonIdempotent = true, FollowRedirects = false },
            cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccessStatusCode && !accept.Contains(answer.StatusCode))
        {
            int status = (int)answer.StatusCode;
            string? remote = answer.Body.Length == 0 ? null : Remote(answer.Body);
            throw SigningErrors.ServiceStatus.ToException($"{service}: HTTP {status} ({answer.Attempts} attempt{(answer.Attempts == 1 ? string.Empty : "s")})", null, remote);
        }

        return new ServiceResponse(answer.StatusCode, answer.IsSuccessStatusCode ? answer.Body : [], answer.Location);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>An excerpt of what the service said, control characters replaced.</summary>
    private static string Remote(byte[] body)
    {
        string text = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, Limits.MaxRemoteDetailChars)));
        string clean = new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return body.Length > Limits.MaxRemoteDetailChars ? clean + "..." : clean;
    }
}
