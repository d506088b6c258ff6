using System.Net;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Http.Tests;

/// <summary>Shared pieces: codes from a made-up family (so tests see the layer carries the caller's codes), clients, canned answers.</summary>
internal static class Servers
{
    public static readonly ErrorCode Unreachable = new("SC9901", ErrorCategory.ServiceFailure, "test: unreachable");
    public static readonly ErrorCode TimedOut = new("SC9902", ErrorCategory.ServiceFailure, "test: timed out");
    public static readonly ErrorCode TooLarge = new("SC9903", ErrorCategory.MalformedInput, "test: too large");
    public static readonly HttpErrorCodes Codes = new(Unreachable, TimedOut, TooLarge);

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A client whose attempt timeout never fires under <see cref="DelayRecordingTimeProvider"/> (timers of 10 minutes or more are inert), so recorded delays are the retry waits only.</summary>
    public static BoundedHttpClient Recording(DelayRecordingTimeProvider time, HttpRetryPolicy? retry = null, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        new(new BoundedHttpClientOptions(Codes)
        {
            TimeProvider = time,
            Retry = (retry ?? HttpRetryPolicy.Default) with { AttemptTimeout = TimeSpan.FromHours(1) },
            Logger = logger,
            ClientName = "test",
        });

    public static Uri Url(RawHttpServer server, string pathAndQuery = "/x") => new("http://" + server.Host + pathAndQuery);

    public static HttpCall Get(Uri url, Action<HttpRequestMessage>? setup = null) => new(() =>
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        setup?.Invoke(request);
        return request;
    }, "test GET");

    public static HttpCall Post(Uri url, bool retryNonIdempotent = false) => new(
        () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent("proposed entry"u8.ToArray()) },
        "test POST") { RetryNonIdempotent = retryNonIdempotent };

    public static Task Ok(Stream stream, string body, CancellationToken ct) =>
        RawHttpServer.WriteAsync(stream, 200, "OK", [("Content-Type", "text/plain")], Encoding.UTF8.GetBytes(body), ct);

    public static Task Status(Stream stream, HttpStatusCode status, CancellationToken ct, params (string, string)[] headers) =>
        RawHttpServer.WriteAsync(stream, (int)status, status.ToString(), headers, Encoding.UTF8.GetBytes("remote says " + status), ct);

    /// <summary>A server answering the n-th request (from 1) with <paramref name="answer"/>.</summary>
    public static RawHttpServer Sequence(Func<int, RawHttpRequest, Stream, CancellationToken, Task> answer)
    {
        int seen = 0;
        return RawHttpServer.Start((request, stream, ct) => answer(Interlocked.Increment(ref seen), request, stream, ct));
    }

    /// <summary>The head at once, then one byte every 200 ms for as long as the client listens.</summary>
    public static async Task TrickleAsync(Stream stream, int status, CancellationToken ct)
    {
        await stream.WriteAsync(RawHttpServer.Head(status, "Trickle", [("Content-Type", "text/plain"), ("Content-Length", "10000")]), ct);
        while (true)
        {
            await stream.WriteAsync("x"u8.ToArray(), ct);
            await stream.FlushAsync(ct);
            await Task.Delay(200, ct);
        }
    }
}
