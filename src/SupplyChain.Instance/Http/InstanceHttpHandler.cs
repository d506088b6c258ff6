using System.Net;
using System.Net.Http.Headers;

namespace SupplyChain.Instance.Http;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that answers requests in process with the instance's services: what a
/// <c>BundleSigner</c> sends to the signing config's URLs never leaves the process (no socket, no server).
/// The request body is bounded exactly as the server bounds it.
/// </summary>
internal sealed class InstanceHttpHandler : HttpMessageHandler
{
    private readonly InstanceRouter _router;

    public InstanceHttpHandler(InstanceRouter router) => _router = router;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Uri url = request.RequestUri ?? throw new InvalidOperationException("a request without a URI");
        byte[] body = [];
        string? contentType = null;
        if (request.Content is not null)
        {
            contentType = request.Content.Headers.ContentType?.ToString();
            body = await ReadBoundedAsync(request.Content, cancellationToken).ConfigureAwait(false);
        }

        var routed = new InstanceRequest(request.Method.Method, url.AbsolutePath, url.Query, request.Headers.Authorization?.ToString(), contentType);
        InstanceResponse answer = await _router.HandleAsync(routed, body, new Uri(url.GetLeftPart(UriPartial.Authority)), cancellationToken).ConfigureAwait(false);
        var content = new ByteArrayContent(answer.Body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(answer.ContentType);
        return new HttpResponseMessage((HttpStatusCode)answer.Status) { Content = content, RequestMessage = request };
    }

    /// <summary>Reads at most one byte more than the limit, so an oversized body is answered 413 without reading it all.</summary>
    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > Limits.MaxRequestBytes)
                {
                    break;
                }
            }

            return buffer.ToArray();
        }
    }
}
