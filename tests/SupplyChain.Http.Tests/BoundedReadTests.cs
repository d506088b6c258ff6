using System.Net;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Testing.Oci;
using static SupplyChain.Http.Tests.Servers;

namespace SupplyChain.Http.Tests;

/// <summary>Every body is read within its limit: a declared Content-Length is checked first, then the read is capped (real HTTP on loopback).</summary>
public class BoundedReadTests
{
    private static readonly DelayRecordingTimeProvider Time = new(Start);

    [Fact]
    public async Task A_declared_length_over_the_limit_is_the_callers_too_large_code_without_reading()
    {
        using RawHttpServer server = RawHttpServer.Start((_, s, ct) => RawHttpServer.WriteAsync(s, 200, "OK", [], new byte[5000], ct));
        using BoundedHttpClient client = Recording(Time);

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "test GET") { MaxResponseBytes = 4096 }));

        Assert.Equal("SC9903", ex.Code);
        Assert.Contains("Content-Length 5000, limit 4096", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_body_without_length_is_cut_at_the_limit_and_is_too_large()
    {
        // No Content-Length: the body runs until the server closes the connection (HTTP/1.1 with Connection: close).
        using RawHttpServer server = RawHttpServer.Start(async (_, s, ct) =>
        {
            await s.WriteAsync(RawHttpServer.Head(200, "OK", [("Content-Type", "text/plain")]), ct);
            await s.WriteAsync(new byte[100_000], ct);
        });
        using BoundedHttpClient client = Recording(Time);

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "test GET") { MaxResponseBytes = 1000 }));

        Assert.Equal("SC9903", ex.Code);
        Assert.Contains("more than 1000 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expected_length_is_read_exactly_and_a_byte_more_is_too_large()
    {
        using RawHttpServer server = RawHttpServer.Start(async (_, s, ct) =>
        {
            await s.WriteAsync(RawHttpServer.Head(200, "OK", []), ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes("0123456789"), ct);
        });
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer exact = await client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "blob") { ExpectedBytes = 10, MaxResponseBytes = 10 });
        HttpAnswer shorter = await client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "blob") { ExpectedBytes = 12, MaxResponseBytes = 12 });
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "blob") { ExpectedBytes = 9, MaxResponseBytes = 9 }));

        Assert.Equal("0123456789", Encoding.ASCII.GetString(exact.Body));
        Assert.Equal(10, shorter.Body.Length);
        Assert.Equal("SC9903", ex.Code);
        Assert.Contains("more than 9 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_body_is_cut_at_its_limit_and_returned_with_the_status_never_thrown()
    {
        using RawHttpServer server = RawHttpServer.Start((_, s, ct) => RawHttpServer.WriteAsync(s, 404, "Not Found", [], Encoding.ASCII.GetBytes(new string('e', 5000)), ct));
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer answer = await client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "test GET") { MaxErrorBodyBytes = 100 });

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Empty(answer.Body); // Content-Length 5000 over the limit: not read at all
        Assert.False(answer.BodyComplete);
        Assert.Equal(5000, answer.ContentHeaders.ContentLength);
    }

    [Fact]
    public async Task An_error_body_without_length_is_read_up_to_its_limit()
    {
        using RawHttpServer server = RawHttpServer.Start(async (_, s, ct) =>
        {
            await s.WriteAsync(RawHttpServer.Head(400, "Bad Request", []), ct);
            await s.WriteAsync(Encoding.ASCII.GetBytes(new string('e', 5000)), ct);
        });
        using BoundedHttpClient client = Recording(Time);

        HttpAnswer answer = await client.SendAsync(new HttpCall(Get(Url(server)).CreateRequest, "test GET") { MaxErrorBodyBytes = 100 });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(100, answer.Body.Length);
        Assert.False(answer.BodyComplete);
    }

    [Fact]
    public async Task BoundedContent_reports_what_exceeds_the_limit()
    {
        BoundedRead within = await BoundedContent.ReadAsync(new ByteArrayContent(new byte[10]), 10);
        var undeclared = new StreamContent(new MemoryStream(new byte[11]));
        undeclared.Headers.ContentLength = null; // as a chunked body: no length known beforehand
        BoundedRead over = await BoundedContent.ReadAsync(undeclared, 10);
        BoundedRead declaredOver = await BoundedContent.ReadAsync(new ByteArrayContent(new byte[11]), 10);

        Assert.False(within.Exceeded);
        Assert.Equal(10, within.Bytes.Length);
        Assert.True(over.Exceeded);
        Assert.Equal(10, over.Bytes.Length);
        Assert.True(declaredOver.Exceeded);
        Assert.Empty(declaredOver.Bytes);
    }
}
