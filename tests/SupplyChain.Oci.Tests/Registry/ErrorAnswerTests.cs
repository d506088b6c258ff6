using System.Net;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>
/// Error answers (issue 13.3 and 13.5): the body is read within the per-attempt timeout, whoever sends it slowly, and
/// what the registry says stays out of the exception's message (it is in RemoteDetail, for diagnostics only).
/// </summary>
public class ErrorAnswerTests
{
    private const string Distinctive = "DISTINCTIVE-7d3a internal host 10.1.2.3";

    [Fact]
    public async Task A_400_whose_body_trickles_ends_within_the_attempt_timeout_with_a_service_failure_code()
    {
        // Real HTTP: the head arrives at once, then one byte of a 10000-byte body every 200 ms, for as long as the client listens.
        using RawHttpServer trickler = RawHttpServer.Start(async (_, stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Head(400, "Bad Request", [("Content-Type", "application/json"), ("Content-Length", "10000")]), ct);
            while (true)
            {
                await stream.WriteAsync("x"u8.ToArray(), ct);
                await stream.FlushAsync(ct);
                await Task.Delay(200, ct);
            }
        });
        using var client = new OciRegistryClient(new OciRegistryClientOptions { Retry = RegistryRetryPolicy.None with { AttemptTimeout = TimeSpan.FromSeconds(1) } });

        // A guard far above the attempt timeout, so a regression fails here instead of hanging the run.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ex = await Assert.ThrowsAsync<ServiceRequestException>(() => client.ResolveAsync(ImageReference.Parse(trickler.Host + "/team/app:v1"), guard.Token));

        Assert.False(guard.IsCancellationRequested);
        Assert.Equal("SC4003", ex.Code);
        Assert.Contains("HTTP 400", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did not arrive", ex.RemoteDetail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "SC4003")]
    [InlineData(HttpStatusCode.Forbidden, "SC4004")]
    [InlineData(HttpStatusCode.TooManyRequests, "SC4005")]
    [InlineData(HttpStatusCode.InternalServerError, "SC4003")]
    public async Task The_registry_error_text_is_in_RemoteDetail_never_in_the_message(HttpStatusCode status, string code)
    {
        var handler = new StubRegistryHandler(_ => StubRegistryHandler.Json(status, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"" + Distinctive + "\"}]}"));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = RegistryRetryPolicy.None });

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ResolveAsync(Repo));

        Assert.Equal(code, ex.Code);
        Assert.Contains($"HTTP {(int)status} ({(int)status / 100}xx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("manifest " + Repo, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DISTINCTIVE", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DISTINCTIVE", ex.ToString().Split(Environment.NewLine)[0], StringComparison.Ordinal);
        Assert.Equal("DENIED: " + Distinctive, ex.RemoteDetail);
    }

    [Fact]
    public async Task A_non_json_error_page_is_an_excerpt_in_RemoteDetail_with_control_characters_replaced()
    {
        var handler = new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.BadGateway, Encoding.UTF8.GetBytes("<html>\r\n" + Distinctive + new string('y', 5000) + "</html>"), "text/html"));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = RegistryRetryPolicy.None });

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo));

        Assert.Equal("SC4003", ex.Code);
        Assert.DoesNotContain("DISTINCTIVE", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("<html>  " + Distinctive, ex.RemoteDetail, StringComparison.Ordinal);
        Assert.EndsWith("...", ex.RemoteDetail, StringComparison.Ordinal);
        Assert.True(ex.RemoteDetail!.Length <= 515);
    }

    [Fact]
    public async Task Header_values_the_registry_sent_are_in_RemoteDetail_never_in_the_message()
    {
        var handler = new StubRegistryHandler(_ => ManifestAnswer(null, "text/" + Distinctive.Replace(" ", "-", StringComparison.Ordinal)));
        using OciRegistryClient client = Client(handler);

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo));

        Assert.Equal("SC4008", ex.Code);
        Assert.DoesNotContain("DISTINCTIVE", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DISTINCTIVE", ex.RemoteDetail, StringComparison.Ordinal);
    }
}
