namespace SupplyChain.Fuzz;

/// <summary>
/// An in-process HTTP handler that answers every request from a function: the fuzz input plays the registry, with no
/// socket and no delay (targets that parse HTTP responses drive the real client through it).
/// </summary>
internal sealed class StubHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = respond(request);
        response.RequestMessage = request;
        return response;
    }

    /// <summary>A response with a body and content type.</summary>
    public static HttpResponseMessage Respond(System.Net.HttpStatusCode status, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return new HttpResponseMessage(status) { Content = content };
    }
}
