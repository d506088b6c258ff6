using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>What the real registry does not exercise: OCI-Chunk-Min-Length, Link pagination of tags, mount fallback on 202.</summary>
public class UploadAndTagTests
{
    [Fact]
    public async Task A_chunked_upload_honours_the_registrys_minimum_chunk_and_each_location()
    {
        int session = 0;
        var handler = new StubRegistryHandler(r =>
        {
            if (r.Method == HttpMethod.Head)
            {
                return StubRegistryHandler.Answer(HttpStatusCode.NotFound);
            }

            if (r.Method == HttpMethod.Post)
            {
                return StubRegistryHandler.Answer(HttpStatusCode.Accepted, null, null, ("Location", "/v2/team/app/blobs/uploads/u0"), ("OCI-Chunk-Min-Length", "300"));
            }

            return r.Method == HttpMethod.Patch
                ? StubRegistryHandler.Answer(HttpStatusCode.Accepted, null, null, ("Location", "/v2/team/app/blobs/uploads/u" + Interlocked.Increment(ref session)))
                : StubRegistryHandler.Answer(HttpStatusCode.Created);
        });
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { ChunkedUploadThreshold = 100, ChunkSize = 100 });
        byte[] content = TestImages.RandomBytes(700);
        await client.PushBlobAsync(Repo, "application/octet-stream", content);

        var patches = handler.Requests.Where(r => r.Method == HttpMethod.Patch).ToList();
        Assert.Equal(["0-299", "300-599", "600-699"], patches.Select(ContentRange));
        Assert.Equal(["/v2/team/app/blobs/uploads/u0", "/v2/team/app/blobs/uploads/u1", "/v2/team/app/blobs/uploads/u2"], patches.Select(p => p.Uri.AbsolutePath));
        Assert.Equal(content, patches.SelectMany(p => p.Body).ToArray());
        RecordedRequest put = Assert.Single(handler.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal("/v2/team/app/blobs/uploads/u3", put.Uri.AbsolutePath);
        Assert.Equal("?digest=" + Uri.EscapeDataString(Digest(content)), put.Uri.Query);
        Assert.Empty(put.Body);
    }

    private static string ContentRange(RecordedRequest request) => request.Headers.TryGetValue("Content-Range", out string? value) ? value : "(none)";

    [Fact]
    public async Task A_mount_the_registry_declines_falls_back_to_an_upload_from_the_source()
    {
        byte[] content = Utf8("mounted bytes");
        var blob = new OciDescriptor("application/octet-stream", Digest(content), content.Length);
        var handler = new StubRegistryHandler(r =>
            r.Method == HttpMethod.Post ? StubRegistryHandler.Answer(HttpStatusCode.Accepted, null, null, ("Location", "/v2/team/app/blobs/uploads/m1"))
            : r.Method == HttpMethod.Get ? StubRegistryHandler.Answer(HttpStatusCode.OK, content)
            : StubRegistryHandler.Answer(HttpStatusCode.Created));
        using OciRegistryClient client = Client(handler);
        Assert.False(await client.MountBlobAsync(Repo, ImageReference.Parse(Host + "/team/base:v1"), blob));
        RecordedRequest post = handler.Requests.First();
        Assert.Equal($"?mount={Uri.EscapeDataString(blob.Digest)}&from=team%2Fbase", post.Uri.Query);
        Assert.Equal("/v2/team/base/blobs/" + blob.Digest, handler.Requests.ElementAt(1).Uri.AbsolutePath);
        Assert.Equal(content, Assert.Single(handler.Requests, r => r.Method == HttpMethod.Put).Body);
    }

    [Fact]
    public async Task Tags_follow_Link_pages()
    {
        var handler = new StubRegistryHandler(r => r.Uri.Query.Contains("last=b", StringComparison.Ordinal)
            ? StubRegistryHandler.Json(HttpStatusCode.OK, "{\"name\":\"team/app\",\"tags\":[\"c\"]}")
            : StubRegistryHandler.Json(HttpStatusCode.OK, "{\"name\":\"team/app\",\"tags\":[\"a\",\"b\"]}", ("Link", "</v2/team/app/tags/list?n=2&last=b>; rel=\"next\"")));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { TagPageSize = 2 });
        Assert.Equal(["a", "b", "c"], await client.ListTagsAsync(Repo));
        Assert.Equal(["?n=2", "?n=2&last=b"], handler.Requests.Select(r => r.Uri.Query));
    }

    [Theory]
    [InlineData("<https://elsewhere.example/v2/team/app/tags/list?last=b>; rel=\"next\"", "SC4018")]
    [InlineData("<http://registry.example/v2/team/app/tags/list?last=b>; rel=\"next\"", "SC4009")]
    [InlineData("garbage", "SC4018")]
    public async Task A_bad_Link_is_refused(string link, string code)
    {
        var handler = new StubRegistryHandler(_ => StubRegistryHandler.Json(HttpStatusCode.OK, "{\"tags\":[\"a\"]}", ("Link", link)));
        using OciRegistryClient client = Client(handler);
        Assert.Equal(code, (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ListTagsAsync(Repo))).Code);
    }

    [Theory]
    [InlineData("{\"tags\":[\"../etc\"]}")]
    [InlineData("{\"tags\":5}")]
    public async Task A_malformed_tag_list_is_SC4018(string json)
    {
        using OciRegistryClient client = Client(new StubRegistryHandler(_ => StubRegistryHandler.Json(HttpStatusCode.OK, json)));
        Assert.Equal("SC4018", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ListTagsAsync(Repo))).Code);
    }

    [Fact]
    public async Task An_upload_start_without_Location_is_SC4018()
    {
        var handler = new StubRegistryHandler(r => r.Method == HttpMethod.Head ? StubRegistryHandler.Answer(HttpStatusCode.NotFound) : StubRegistryHandler.Answer(HttpStatusCode.Accepted));
        using OciRegistryClient client = Client(handler);
        Assert.Equal("SC4018", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.PushBlobAsync(Repo, "application/octet-stream", Utf8("x")))).Code);
    }
}
