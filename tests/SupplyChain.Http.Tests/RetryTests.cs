using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Testing.Oci;
using static SupplyChain.Http.Tests.Servers;

namespace SupplyChain.Http.Tests;

/// <summary>
/// Bounded retries over real loopback HTTP, the waits recorded by a manual clock: 429 with Retry-After (seconds and
/// HTTP date), 5xx, connection resets; never a non-idempotent POST unless the protocol allows it.
/// </summary>
public class RetryTests
{
    [Fact]
    public async Task A_429_with_Retry_After_seconds_waits_that_long_then_succeeds()
    {
        using RawHttpServer server = Sequence((n, _, s, ct) => n == 1 ? Status(s, HttpStatusCode.TooManyRequests, ct, ("Retry-After", "3")) : Ok(s, "fine", ct));
        var time = new DelayRecordingTimeProvider(Start);
        using BoundedHttpClient client = Recording(time);

        HttpAnswer answer = await client.SendAsync(Get(Url(server)));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(2, answer.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(3)], time.Delays);
    }

    [Fact]
    public async Task A_503_with_Retry_After_as_an_http_date_waits_until_then()
    {
        using RawHttpServer server = Sequence((n, _, s, ct) => n == 1 ? Status(s, HttpStatusCode.ServiceUnavailable, ct, ("Retry-After", Start.AddSeconds(5).ToString("R"))) : Ok(s, "fine", ct));
        var time = new DelayRecordingTimeProvider(Start);
        using BoundedHttpClient client = Recording(time);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get(Url(server)))).StatusCode);
        Assert.Equal([TimeSpan.FromSeconds(5)], time.Delays);
    }

    [Fact]
    public async Task Retry_After_is_capped_by_MaxDelay_and_one_beyond_the_total_budget_ends_the_retries_at_once()
    {
        using RawHttpServer capped = Sequence((n, _, s, ct) => n == 1 ? Status(s, HttpStatusCode.TooManyRequests, ct, ("Retry-After", "20")) : Ok(s, "fine", ct));
        var time = new DelayRecordingTimeProvider(Start);
        using (BoundedHttpClient client = Recording(time, HttpRetryPolicy.Default with { MaxDelay = TimeSpan.FromSeconds(2) }))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get(Url(capped)))).StatusCode);
            Assert.Equal([TimeSpan.FromSeconds(2)], time.Delays);
        }

        using RawHttpServer patient = RawHttpServer.Start((_, s, ct) => Status(s, HttpStatusCode.TooManyRequests, ct, ("Retry-After", "3600")));
        var time2 = new DelayRecordingTimeProvider(Start);
        using BoundedHttpClient client2 = Recording(time2, HttpRetryPolicy.Default with { MaxDelay = TimeSpan.FromHours(2), MaxTotalDelay = TimeSpan.FromSeconds(30) });
        HttpAnswer answer = await client2.SendAsync(Get(Url(patient)));

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("remote says TooManyRequests", System.Text.Encoding.UTF8.GetString(answer.Body));
        Assert.Single(patient.Requests);
        Assert.Empty(time2.Delays);
    }

    [Fact]
    public async Task Transient_503s_are_retried_and_endless_ones_are_returned_after_the_attempts()
    {
        using RawHttpServer flaky = Sequence((n, _, s, ct) => n <= 2 ? Status(s, HttpStatusCode.ServiceUnavailable, ct) : Ok(s, "fine", ct));
        var time = new DelayRecordingTimeProvider(Start);
        using BoundedHttpClient client = Recording(time, HttpRetryPolicy.Default with { MaxAttempts = 3 });

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get(Url(flaky)))).StatusCode);
        Assert.Equal(3, flaky.Requests.Count);
        Assert.Equal(2, time.Delays.Count);
        Assert.All(time.Delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(1)));

        using RawHttpServer down = RawHttpServer.Start((_, s, ct) => Status(s, HttpStatusCode.ServiceUnavailable, ct));
        HttpAnswer last = await client.SendAsync(Get(Url(down)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, last.StatusCode);
        Assert.Equal(3, last.Attempts);
        Assert.Equal(3, down.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.NotImplemented)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported)]
    public async Task Permanent_statuses_are_not_retried(HttpStatusCode status)
    {
        using RawHttpServer server = RawHttpServer.Start((_, s, ct) => Status(s, status, ct));
        using BoundedHttpClient client = Recording(new DelayRecordingTimeProvider(Start));

        Assert.Equal(status, (await client.SendAsync(Get(Url(server)))).StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_connection_reset_is_retried_and_endless_resets_are_the_unreachable_code()
    {
        // The server reads the request and closes the connection without a word.
        using RawHttpServer once = Sequence((n, _, s, ct) => n == 1 ? Task.CompletedTask : Ok(s, "fine", ct));
        using RawHttpServer always = RawHttpServer.Start((_, _, _) => Task.CompletedTask);
        using BoundedHttpClient client = Recording(new DelayRecordingTimeProvider(Start), HttpRetryPolicy.Default with { MaxAttempts = 2 });

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get(Url(once)))).StatusCode);
        Assert.Equal(2, once.Requests.Count);

        // SocketsHttpHandler itself repeats a GET a few times on a connection closed before any answer: count one attempt first.
        using (BoundedHttpClient single = Recording(new DelayRecordingTimeProvider(Start), HttpRetryPolicy.None))
        {
            await Assert.ThrowsAnyAsync<SupplyChainException>(() => single.SendAsync(Get(Url(always))));
        }

        int perAttempt = always.Requests.Count;
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(Get(Url(always))));
        Assert.Equal("SC9901", ex.Code);
        Assert.Contains("(2 attempts)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3 * perAttempt, always.Requests.Count);
    }

    [Fact]
    public async Task A_POST_is_not_retried_on_a_5xx_or_a_reset_unless_the_protocol_allows_it()
    {
        using RawHttpServer down = RawHttpServer.Start((_, s, ct) => Status(s, HttpStatusCode.BadGateway, ct));
        using RawHttpServer reset = RawHttpServer.Start((_, _, _) => Task.CompletedTask);
        using BoundedHttpClient client = Recording(new DelayRecordingTimeProvider(Start), HttpRetryPolicy.Default with { MaxAttempts = 3 });

        Assert.Equal(HttpStatusCode.BadGateway, (await client.SendAsync(Post(Url(down)))).StatusCode);
        Assert.Single(down.Requests);
        Assert.Equal("SC9901", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(Post(Url(reset))))).Code);
        Assert.Single(reset.Requests);

        // The protocol allows it (a log answers a duplicate with 409): retried like a GET.
        Assert.Equal(HttpStatusCode.BadGateway, (await client.SendAsync(Post(Url(down), retryNonIdempotent: true))).StatusCode);
        Assert.Equal(4, down.Requests.Count);
    }

    [Fact]
    public async Task A_POST_whose_connection_was_refused_is_retried_because_nothing_was_sent()
    {
        int port;
        using (RawHttpServer closed = RawHttpServer.Start((_, _, _) => Task.CompletedTask))
        {
            port = closed.Port;
        }

        var handler = new CountingTransport();
        using var client = new BoundedHttpClient(new BoundedHttpClientOptions(Codes)
        {
            Transport = handler,
            TimeProvider = new DelayRecordingTimeProvider(Start),
            Retry = HttpRetryPolicy.Default with { MaxAttempts = 2, AttemptTimeout = TimeSpan.FromHours(1) },
        });

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(Post(new Uri($"http://127.0.0.1:{port}/x"))));

        Assert.Equal("SC9901", ex.Code);
        Assert.Contains("ConnectionError", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Sent);
    }

    [Fact]
    public void Policies_outside_the_bounds_are_invalid()
    {
        Assert.True(HttpRetryPolicy.Default.IsValid);
        Assert.False((HttpRetryPolicy.Default with { MaxAttempts = 0 }).IsValid);
        Assert.False((HttpRetryPolicy.Default with { MaxAttempts = 11 }).IsValid);
        Assert.False((HttpRetryPolicy.Default with { AttemptTimeout = TimeSpan.Zero }).IsValid);
        Assert.False((HttpRetryPolicy.Default with { AttemptTimeout = Timeout.InfiniteTimeSpan }).IsValid);
        Assert.False((HttpRetryPolicy.Default with { InitialDelay = TimeSpan.FromSeconds(-1) }).IsValid);
        Assert.Throws<ArgumentException>(() => new BoundedHttpClient(new BoundedHttpClientOptions(Codes) { Retry = HttpRetryPolicy.Default with { MaxAttempts = 0 } }));
    }

    /// <summary>A real socket transport that counts what it was asked to send.</summary>
    private sealed class CountingTransport : DelegatingHandler
    {
        private int _sent;

        public CountingTransport()
            : base(BoundedHttpClient.CreateDefaultTransport())
        {
        }

        public int Sent => _sent;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
