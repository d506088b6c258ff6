using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// An in-process stand-in for a registry's HTTP transport in unit tests: each request goes to the answering function,
/// and every request (method, URL, headers, body) is recorded. Real-registry behaviour is tested against
/// <see cref="DistributionRegistry"/>; this is for what a real registry will not do (lie, throttle, offer the referrers API).
/// </summary>
public sealed class StubRegistryHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, HttpResponseMessage> _respond;

    /// <summary>Answers with <paramref name="respond"/>.</summary>
    /// <param name="respond">Builds the answer for a request.</param>
    public StubRegistryHandler(Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _respond = respond;
    }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>An answer with a status, optional body, content type and headers.</summary>
    /// <param name="status">The status.</param>
    /// <param name="body">The body, or <c>null</c>.</param>
    /// <param name="contentType">The body's Content-Type, or <c>null</c>.</param>
    /// <param name="headers">Extra response headers (name, value).</param>
    /// <returns>The response.</returns>
    public static HttpResponseMessage Answer(HttpStatusCode status, byte[]? body = null, string? contentType = null, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body ?? []) };
        if (contentType is not null)
        {
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach ((string name, string value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    /// <summary>A JSON answer.</summary>
    /// <param name="status">The status.</param>
    /// <param name="json">The JSON text.</param>
    /// <param name="headers">Extra response headers.</param>
    /// <returns>The response.</returns>
    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers) =>
        Answer(status, Encoding.UTF8.GetBytes(json), "application/json", headers);

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var recorded = new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString() ?? (request.Headers.TryGetValues("Authorization", out IEnumerable<string>? a) ? a.First() : null),
            request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType?.MediaType,
            body);
        Requests.Enqueue(recorded);
        HttpResponseMessage response = _respond(recorded);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>A request the stub received.</summary>
/// <param name="Method">The method.</param>
/// <param name="Uri">The absolute URL.</param>
/// <param name="Authorization">The Authorization header, or <c>null</c>.</param>
/// <param name="Headers">The request and content headers.</param>
/// <param name="ContentType">The body's Content-Type, or <c>null</c>.</param>
/// <param name="Body">The body bytes.</param>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body)
{
    /// <summary>The path and query.</summary>
    public string PathAndQuery => Uri.PathAndQuery;
}
