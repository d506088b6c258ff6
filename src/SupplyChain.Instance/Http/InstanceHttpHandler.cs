using System.Net;
using System.Net.Http.Headers;
using SupplyChain.Http;

namespace SupplyChain.Instance.Http;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that answers requests in process with the instance's services: what a
/// <c>BundleSigner</c> sends to the signing config's URLs never leaves the process (no socket, no server).
/// The request body is bounded exactly as the server bounds it (<see cref="BoundedContent"/>).
/// </summary>
internal sealed class InstanceHttpHandler : HttpMessageHandler
{
    private readonly InstanceRouter _router;

    public InstanceHttpHandler(InstanceRouter router) => _router = router;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Uri url = request.RequestUri ?? throw new InvalidOperationException("a request without a URI");
        BoundedRead body = new([], false);
        string? contentType = null;
        if (request.Content is not null)
        {
            contentType = request.Content.Headers.ContentType?.ToString();

            // The shared bounded read: a declared or sent length over the limit is answered 413, as the server does.
            body = await BoundedContent.ReadAsync(request.Content, Limits.MaxRequestBytes, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var routed = new InstanceRequest(request.Method.Method, url.AbsolutePath, url.Query, request.Headers.Authorization?.ToString(), contentType);
        InstanceResponse answer = body.Exceeded
            ? InstanceResponse.Error(InstanceErrors.RequestTooLarge.ToException($"more than {Limits.MaxRequestBytes} bytes"))
            : await _router.HandleAsync(routed, body.Bytes, new Uri(url.GetLeftPart(UriPartial.Authority)), cancellationToken).ConfigureAwait(false);
        var content = new ByteArrayContent(answer.Body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(answer.ContentType);
        return new HttpResponseMessage((HttpStatusCode)answer.Status) { Content = content, RequestMessage = request };
    }
}
