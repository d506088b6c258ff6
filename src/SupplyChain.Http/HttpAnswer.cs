using System.Net;
using System.Net.Http.Headers;

namespace SupplyChain.Http;

/// <summary>
/// A response read in full within its limits: status, headers and body. Nothing is left to read from the network, so
/// the caller can neither forget a limit nor hold a connection.
/// </summary>
public sealed class HttpAnswer
{
    internal HttpAnswer(HttpResponseMessage response, Uri requestUri, byte[] body, bool bodyComplete, bool bodyTimedOut, int attempts)
    {
        StatusCode = response.StatusCode;
        Headers = response.Headers;

        // The network content is disposed with the response; its headers are kept on an in-memory copy of what was read.
        var buffered = new ByteArrayContent(body);
        foreach (KeyValuePair<string, HeaderStringValues> header in response.Content.Headers.NonValidated)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        ContentHeaders = buffered.Headers;
        RequestUri = requestUri;
        Body = body;
        BodyComplete = bodyComplete;
        BodyTimedOut = bodyTimedOut;
        Attempts = attempts;
    }

    /// <summary>The status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccessStatusCode => (int)StatusCode is >= 200 and < 300;

    /// <summary>The response headers.</summary>
    public HttpResponseHeaders Headers { get; }

    /// <summary>The content headers (Content-Type, Content-Length, ...).</summary>
    public HttpContentHeaders ContentHeaders { get; }

    /// <summary>The URL that answered (after redirects).</summary>
    public Uri RequestUri { get; }

    /// <summary>
    /// The body: for a 2xx answer, all of it (within <see cref="HttpCall.MaxResponseBytes"/>); otherwise at most
    /// <see cref="HttpCall.MaxErrorBodyBytes"/> of it. Remote text: keep it out of exception messages.
    /// </summary>
    public byte[] Body { get; }

    /// <summary><c>false</c> when an error body was cut at its limit, did not arrive within the attempt timeout, or broke off.</summary>
    public bool BodyComplete { get; }

    /// <summary><c>true</c> when an error body did not arrive within the attempt timeout.</summary>
    public bool BodyTimedOut { get; }

    /// <summary>How many attempts it took.</summary>
    public int Attempts { get; }

    /// <summary>The first value of a response or content header, or <c>null</c>.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value, or <c>null</c>.</returns>
    public string? Header(string name) =>
        Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault()
        : ContentHeaders.TryGetValues(name, out values) ? values.FirstOrDefault()
        : null;

    /// <summary>The Location header resolved against <see cref="RequestUri"/>, or <c>null</c>.</summary>
    public Uri? Location => Headers.Location is not { } location ? null
        : location.IsAbsoluteUri ? location
        : new Uri(RequestUri, location);
}
