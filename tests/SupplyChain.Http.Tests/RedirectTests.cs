using System.Net;
using SupplyChain.Testing.Oci;
using static SupplyChain.Http.Tests.Servers;

namespace SupplyChain.Http.Tests;

/// <summary>Redirects are followed by the layer itself: credentials stay with the request's origin, https never leads to http, and the chain is bounded.</summary>
public class RedirectTests
{
    private static readonly DelayRecordingTimeProvider Time = new(Start);

    private static HttpCall WithCredentials(Uri url) => Get(url, r =>
    {
        r.Headers.TryAddWithoutValidation("Authorization", "Bearer SECRET-TOKEN");
        r.Headers.TryAddWithoutValidation("Cookie", "session=SECRET-COOKIE");
        r.Headers.TryAddWithoutValidation("X-Trace", "kept");
    });

    [Fact]
    public async Task A_redirect_to_another_origin_carries_no_credentials_and_one_on_the_same_origin_does()
    {
        using RawHttpServer storage = RawHttpServer.Start((_, s, ct) => Ok(s, "stored", ct));
        using RawHttpServer registry = RawHttpServer.Start((request, s, ct) => request.Target.StartsWith("/first", StringComparison.Ordinal)
            ? RawHttpServer.WriteAsync(s, 307, "Temporary Redirect", [("Location", "/second")], [], ct)
            : RawHttpServer.WriteAsync(s, 302, "Found", [("Location", $"http://{storage.Host}/blob?X-Amz-Signature=abc")], [], ct));
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer answer = await client.SendAsync(WithCredentials(Url(registry, "/first")));

        Assert.Equal("stored", System.Text.Encoding.UTF8.GetString(answer.Body));
        Assert.Equal(new Uri($"http://{storage.Host}/blob?X-Amz-Signature=abc"), answer.RequestUri);
        Assert.All(registry.Requests, r => Assert.Equal("Bearer SECRET-TOKEN", r.Authorization));
        Assert.Equal(2, registry.Requests.Count);
        RawHttpRequest redirected = Assert.Single(storage.Requests);
        Assert.Null(redirected.Authorization);
        Assert.False(redirected.Headers.ContainsKey("Cookie"));
        Assert.Equal("kept", redirected.Headers["X-Trace"]);
    }

    [Fact]
    public async Task Credentials_dropped_on_the_way_out_are_not_sent_again_on_the_way_back()
    {
        RawHttpServer? registry = null;
        using RawHttpServer bounce = RawHttpServer.Start((_, s, ct) => RawHttpServer.WriteAsync(s, 307, "Temporary Redirect", [("Location", $"http://{registry!.Host}/back")], [], ct));
        registry = RawHttpServer.Start((request, s, ct) => request.Target == "/back"
            ? Ok(s, "back", ct)
            : RawHttpServer.WriteAsync(s, 307, "Temporary Redirect", [("Location", $"http://{bounce.Host}/out")], [], ct));
        using (registry)
        using (BoundedHttpClient client = Recording(Time))
        {
            await client.SendAsync(WithCredentials(Url(registry, "/start")));
        }

        Assert.Equal("Bearer SECRET-TOKEN", registry.Requests.First().Authorization);
        Assert.Null(registry.Requests.Last().Authorization);
        Assert.Null(Assert.Single(bounce.Requests).Authorization);
    }

    [Fact]
    public async Task A_303_after_a_POST_continues_with_a_GET_without_the_body()
    {
        using RawHttpServer server = RawHttpServer.Start((request, s, ct) => request.Method == "POST"
            ? RawHttpServer.WriteAsync(s, 303, "See Other", [("Location", "/entry/1")], [], ct)
            : Ok(s, "entry", ct));
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer answer = await client.SendAsync(Post(Url(server, "/entries")));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(["POST", "GET"], server.Requests.Select(r => r.Method));
        Assert.Equal("/entry/1", server.Requests.Last().Target);
    }

    [Fact]
    public async Task A_307_never_repeats_a_body_to_another_origin_but_does_on_the_same_origin()
    {
        using RawHttpServer elsewhere = RawHttpServer.Start((_, s, ct) => Ok(s, "took it", ct));
        using RawHttpServer server = RawHttpServer.Start((request, s, ct) => request.Target switch
        {
            "/away" => RawHttpServer.WriteAsync(s, 307, "Temporary Redirect", [("Location", $"http://{elsewhere.Host}/token")], [], ct),
            "/here" => RawHttpServer.WriteAsync(s, 307, "Temporary Redirect", [("Location", "/token")], [], ct),
            _ => Ok(s, "same origin", ct),
        });
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer away = await client.SendAsync(Post(Url(server, "/away")));
        HttpAnswer here = await client.SendAsync(Post(Url(server, "/here")));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, away.StatusCode);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal(HttpStatusCode.OK, here.StatusCode);
        Assert.Equal(["POST", "POST", "POST"], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task A_redirect_loop_ends_with_the_redirect_as_the_answer()
    {
        using RawHttpServer loop = RawHttpServer.Start((request, s, ct) => RawHttpServer.WriteAsync(s, 302, "Found", [("Location", request.Target + "x")], [], ct));
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer answer = await client.SendAsync(Get(Url(loop)));

        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
        Assert.Equal(6, loop.Requests.Count); // the request and 5 redirects
    }

    [Fact]
    public async Task A_redirect_from_https_to_http_is_not_followed()
    {
        var seen = new List<Uri>();
        var transport = new AnswerTransport(request =>
        {
            seen.Add(request.RequestUri!);
            var response = new HttpResponseMessage(HttpStatusCode.Found) { RequestMessage = request };
            response.Headers.Location = new Uri("http://plain.example/x");
            return response;
        });
        using var client = new BoundedHttpClient(new BoundedHttpClientOptions(Codes) { Transport = transport });

        HttpAnswer answer = await client.SendAsync(WithCredentials(new Uri("https://secure.example/x")));

        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
        Assert.Equal([new Uri("https://secure.example/x")], seen);
    }

    [Fact]
    public async Task Redirects_are_not_followed_when_the_call_says_so()
    {
        using RawHttpServer server = RawHttpServer.Start((_, s, ct) => RawHttpServer.WriteAsync(s, 307, "Temporary Redirect", [("Location", "/elsewhere")], [], ct));
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer answer = await client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "test") { FollowRedirects = false });

        Assert.Equal(HttpStatusCode.TemporaryRedirect, answer.StatusCode);
        Assert.Equal(new Uri($"http://{server.Host}/elsewhere"), answer.Location);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void The_default_transport_pools_connections_for_a_bounded_time_without_cookies_or_automatic_redirects()
    {
        using SocketsHttpHandler handler = BoundedHttpClient.CreateDefaultTransport();
        Assert.InRange(handler.PooledConnectionLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Equal(DecompressionMethods.None, handler.AutomaticDecompression);
    }

    /// <summary>An in-process transport (for the https case, which a plain loopback server cannot offer).</summary>
    internal sealed class AnswerTransport(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer(request));
    }
}
