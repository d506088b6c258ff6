using System.Net;

namespace SupplyChain.Tuf.Client;

/// <summary>
/// Downloads repository files with a size limit on every body (endless-data attack) and a timeout on every
/// request, headers and body together (slow-retrieval attack). TUF spec 5.2: "the client MUST ... limit the
/// number of bytes it downloads".
/// </summary>
internal sealed class TufFetcher
{
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly TimeSpan _timeout;

    public TufFetcher(HttpClient http, Uri baseUrl, TimeSpan timeout)
    {
        _http = http;
        _baseUrl = baseUrl;
        _timeout = timeout;
    }

    /// <summary>Downloads <paramref name="relativePath"/> (already escaped).</summary>
    /// <returns>The body, or <see langword="null"/> on 404/403 when <paramref name="missingIsNull"/>.</returns>
    /// <exception cref="Core.Errors.ServiceRequestException">SC3001 unreachable or HTTP error, SC3002 timeout, SC3003 too large.</exception>
    public async Task<byte[]?> FetchAsync(string relativePath, long maxBytes, bool missingIsNull, CancellationToken cancellationToken)
    {
        // Appended, not resolved: a target path such as "//host/x" must stay below the base URL, never name another host.
        var url = new Uri(_baseUrl.AbsoluteUri + relativePath);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (missingIsNull && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw TufErrors.RepositoryUnreachable.ToException($"GET {url} returned HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength is long declared && declared > maxBytes)
            {
                throw TufErrors.DownloadTooLarge.ToException($"{url} declares {declared} bytes; the limit is {maxBytes}");
            }

            Stream body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                byte[] chunk = new byte[16 * 1024];
                int read;
                while ((read = await body.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > maxBytes)
                    {
                        throw TufErrors.DownloadTooLarge.ToException($"{url} sent more than the {maxBytes}-byte limit");
                    }

                    buffer.Write(chunk, 0, read);
                }

                return buffer.ToArray();
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TufErrors.DownloadTimedOut.ToException($"GET {url} did not finish within {_timeout.TotalSeconds:0.###} s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw TufErrors.RepositoryUnreachable.ToException($"GET {url}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw TufErrors.RepositoryUnreachable.ToException($"GET {url}: {ex.Message}", ex);
        }
    }
}
