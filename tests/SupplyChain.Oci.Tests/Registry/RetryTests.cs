using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;
using SupplyChain.Http;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>Bounded retries on 429, 5xx and network errors, honouring Retry-After (stub transport, recorded delays).</summary>
public class RetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static StubRegistryHandler FailingThen(int failures, Func<HttpResponseMessage> failure)
    {
        int seen = 0;
        return new StubRegistryHandler(_ => Interlocked.Increment(ref seen) <= failures ? failure() : ManifestAnswer());
    }

    [Fact]
    public async Task A_429_with_Retry_After_seconds_waits_that_long_then_succeeds()
    {
        var time = new DelayRecordingTimeProvider(Start);
        StubRegistryHandler handler = FailingThen(1, () => StubRegistryHandler.Answer(HttpStatusCode.TooManyRequests, null, null, ("Retry-After", "3")));
        using OciRegistryClient client = Client(handler, time: time);
        Assert.NotNull(await client.TryGetManifestAsync(Repo));
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(3)], time.Delays);
    }

    [Fact]
    public async Task A_429_with_Retry_After_as_an_http_date_waits_until_then()
    {
        var time = new DelayRecordingTimeProvider(Start);
        StubRegistryHandler handler = FailingThen(1, () => StubRegistryHandler.Answer(HttpStatusCode.TooManyRequests, null, null, ("Retry-After", Start.AddSeconds(5).ToString("R"))));
        using OciRegistryClient client = Client(handler, time: time);
        Assert.NotNull(await client.TryGetManifestAsync(Repo));
        Assert.Equal([TimeSpan.FromSeconds(5)], time.Delays);
    }

    [Fact]
    public async Task Endless_429_is_SC4005_after_the_attempts_never_an_empty_answer()
    {
        var handler = new StubRegistryHandler(_ => Error(HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS"));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxAttempts = 3 } });
        Assert.Equal("SC4005", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ListReferrersAsync(Repo.WithDigest(Digest(Manifest))))).Code);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_total_budget_fails_at_once()
    {
        var time = new DelayRecordingTimeProvider(Start);
        var handler = new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.TooManyRequests, null, null, ("Retry-After", "3600")));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxDelay = TimeSpan.FromHours(2), MaxTotalDelay = TimeSpan.FromSeconds(30) } }, time);
        Assert.Equal("SC4005", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo))).Code);
        Assert.Single(handler.Requests);
        Assert.Empty(time.Delays);
    }

    [Fact]
    public async Task Retry_After_is_capped_by_MaxDelay()
    {
        var time = new DelayRecordingTimeProvider(Start);
        StubRegistryHandler handler = FailingThen(1, () => StubRegistryHandler.Answer(HttpStatusCode.ServiceUnavailable, null, null, ("Retry-After", "20")));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxDelay = TimeSpan.FromSeconds(2) } }, time);
        Assert.NotNull(await client.TryGetManifestAsync(Repo));
        Assert.Equal([TimeSpan.FromSeconds(2)], time.Delays);
    }

    [Fact]
    public async Task Transient_5xx_is_retried_and_endless_5xx_is_SC4003_after_the_attempts()
    {
        StubRegistryHandler flaky = FailingThen(2, () => StubRegistryHandler.Answer(HttpStatusCode.BadGateway));
        using (OciRegistryClient client = Client(flaky))
        {
            Assert.NotNull(await client.TryGetManifestAsync(Repo));
            Assert.Equal(3, flaky.Requests.Count);
        }

        var down = new StubRegistryHandler(_ => Error(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE"));
        using OciRegistryClient downClient = Client(down);
        Assert.Equal("SC4003", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => downClient.TryGetManifestAsync(Repo))).Code);
        Assert.Equal(HttpRetryPolicy.Default.MaxAttempts, down.Requests.Count);
    }

    [Fact]
    public async Task A_4xx_is_not_retried()
    {
        var handler = new StubRegistryHandler(_ => Error(HttpStatusCode.BadRequest, "MANIFEST_INVALID"));
        using OciRegistryClient client = Client(handler);
        Assert.Equal("SC4003", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo))).Code);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Network_errors_are_retried_then_SC4002()
    {
        var handler = new StubRegistryHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxAttempts = 2 } });
        Assert.Equal("SC4002", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo))).Code);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Unreachable_loopback_port_is_SC4002()
    {
        using var client = new OciRegistryClient(new OciRegistryClientOptions { Retry = HttpRetryPolicy.None });
        Assert.Equal("SC4002", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(ImageReference.Parse("127.0.0.1:1/a:b")))).Code);
    }

    [Fact]
    public void Invalid_options_are_SC4019()
    {
        Assert.Equal("SC4019", Assert.ThrowsAny<SupplyChainException>(() => new OciRegistryClient(new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxAttempts = 0 } })).Code);
        Assert.Equal("SC4019", Assert.ThrowsAny<SupplyChainException>(() => new OciRegistryClient(new OciRegistryClientOptions { MaxBlobBytes = 0 })).Code);
        Assert.Equal("SC4019", Assert.ThrowsAny<SupplyChainException>(() => new OciRegistryClient(new OciRegistryClientOptions { UserAgent = "a\nb" })).Code);
    }
}
