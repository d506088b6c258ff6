using System.Net;
using SupplyChain.Http;

namespace SupplyChain.Tuf.Client;

/// <summary>
/// Downloads repository files through the shared HTTP layer: a size limit on every body (endless-data attack) and one
/// deadline per attempt over headers and body (slow-retrieval attack). TUF spec 5.2: "the client MUST ... limit the
/// number of bytes it downloads". Failed attempts (timeouts, resets, 5xx, 429) are retried within
/// <see cref="TufClientOptions.Retry"/>; every attempt asks the same URL with the same limit, and what it returns is
/// verified as any download (lengths, hashes, signatures), so a retry can neither bypass a limit nor swap a file.
/// </summary>
internal sealed class TufFetcher
{
    /// <summary>SC3001 unreachable, SC3002 timed out, SC3003 too large.</summary>
    public static readonly HttpErrorCodes Codes = new(TufErrors.RepositoryUnreachable, TufErrors.DownloadTimedOut, TufErrors.DownloadTooLarge);

    private readonly BoundedHttpClient _http;
    private readonly Uri _baseUrl;

    public TufFetcher(BoundedHttpClient http, Uri baseUrl)
    {
        _http = http;
        _baseUrl = baseUrl;
    }

    /// <summary>Downloads <paramref name="relativePath"/> (already escaped).</summary>
    /// <returns>The body, or <see langword="null"/> on 404/403 when <paramref name="missingIsNull"/>.</returns>
    /// <exception cref="Core.Errors.ServiceRequestException">SC3001 unreachable or HTTP error, SC3002 timeout, SC3003 too large.</exception>
    public async Task<byte[]?> FetchAsync(string relativePath, long maxBytes, bool missingIsNull, CancellationToken cancellationToken)
    {
        // Appended, not resolved: a target path such as "//host/x" must stay below the base URL, never name another host.
        var url = new Uri(_baseUrl.AbsoluteUri + relativePath);
        HttpAnswer answer = await _http.SendAsync(
            new HttpCall(() => new HttpRequestMessage(HttpMethod.Get, url), "GET " + url.AbsoluteUri) { MaxResponseBytes = maxBytes, MaxErrorBodyBytes = 0 },
            cancellationToken).ConfigureAwait(false);
        if (missingIsNull && answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }

        return answer.IsSuccessStatusCode
            ? answer.Body
            : throw TufErrors.RepositoryUnreachable.ToException($"GET {url.AbsoluteUri} returned HTTP {(int)answer.StatusCode} ({answer.Attempts} attempt{(answer.Attempts == 1 ? string.Empty : "s")})");
    }
}
