using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Testing.Oci;
using static SupplyChain.Http.Tests.Servers;

namespace SupplyChain.Http.Tests;

/// <summary>
/// The attempt timeout covers headers and body, whoever sends them slowly (real HTTP, a 1 s attempt timeout on the
/// system clock, and a guard far above it so a regression fails instead of hanging). Cancellation is the caller's, never a code.
/// </summary>
public class TimeoutTests
{
    private static BoundedHttpClient OneSecond(int attempts = 1) => new(new BoundedHttpClientOptions(Codes)
    {
        Retry = HttpRetryPolicy.None with { MaxAttempts = attempts, InitialDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromSeconds(1) },
    });

    [Fact]
    public async Task A_trickling_success_body_is_the_timeout_code_after_every_attempt()
    {
        using RawHttpServer server = RawHttpServer.Start((_, s, ct) => TrickleAsync(s, 200, ct));
        using BoundedHttpClient client = OneSecond(attempts: 2);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(Get(Url(server)), guard.Token));

        Assert.False(guard.IsCancellationRequested);
        Assert.Equal("SC9902", ex.Code);
        Assert.Contains("no complete answer within 1 s (2 attempts)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Stalled_headers_are_the_timeout_code()
    {
        using RawHttpServer server = RawHttpServer.Start((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        using BoundedHttpClient client = OneSecond();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(Get(Url(server)), guard.Token));

        Assert.False(guard.IsCancellationRequested);
        Assert.Equal("SC9902", ex.Code);
    }

    [Fact]
    public async Task A_trickling_error_body_ends_with_the_attempt_and_the_status_is_returned()
    {
        using RawHttpServer server = RawHttpServer.Start((_, s, ct) => TrickleAsync(s, 400, ct));
        using BoundedHttpClient client = OneSecond();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        HttpAnswer answer = await client.SendAsync(Get(Url(server)), guard.Token);

        Assert.False(guard.IsCancellationRequested);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True(answer.BodyTimedOut);
        Assert.False(answer.BodyComplete);
    }

    [Fact]
    public async Task The_callers_cancellation_is_an_OperationCanceledException_not_a_code()
    {
        using RawHttpServer server = RawHttpServer.Start((_, _, ct) => Task.Delay(Timeout.Infinite, ct));
        using var client = new BoundedHttpClient(new BoundedHttpClientOptions(Codes) { Retry = HttpRetryPolicy.Default with { AttemptTimeout = TimeSpan.FromMinutes(5) } });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(Get(Url(server)), cancel.Token));

        Assert.Single(server.Requests);
    }
}
