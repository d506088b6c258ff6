using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>A registry that lies about content: every manifest and blob is checked against its digest, type and limits.</summary>
public class LyingRegistryTests
{
    private static async Task<string> CodeOf(Func<OciRegistryClient, Task> act, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        using OciRegistryClient client = Client(new StubRegistryHandler(respond));
        return (await Assert.ThrowsAnyAsync<SupplyChainException>(() => act(client))).Code;
    }

    [Fact]
    public async Task A_manifest_not_matching_the_requested_digest_is_SC4006() =>
        Assert.Equal("SC4006", await CodeOf(c => c.TryGetManifestAsync(Repo.WithDigest("sha256:" + new string('a', 64))), _ => ManifestAnswer()));

    [Fact]
    public async Task A_Docker_Content_Digest_that_does_not_match_the_body_is_SC4006() =>
        Assert.Equal("SC4006", await CodeOf(c => c.TryGetManifestAsync(Repo), _ => ManifestAnswer(headers: ("Docker-Content-Digest", "sha256:" + new string('b', 64)))));

    [Fact]
    public async Task A_malformed_Docker_Content_Digest_is_SC4006() =>
        Assert.Equal("SC4006", await CodeOf(c => c.TryGetManifestAsync(Repo), _ => ManifestAnswer(headers: ("Docker-Content-Digest", "md5:00"))));

    [Fact]
    public async Task A_matching_Docker_Content_Digest_names_the_manifest()
    {
        using OciRegistryClient client = Client(new StubRegistryHandler(_ => ManifestAnswer(headers: ("Docker-Content-Digest", Digest(Manifest)))));
        Assert.Equal(Digest(Manifest), (await client.ResolveAsync(Repo)).Digest);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    [InlineData(OciMediaTypes.ImageIndex)]
    public async Task A_wrong_or_inconsistent_Content_Type_is_SC4008(string contentType) =>
        Assert.Equal("SC4008", await CodeOf(c => c.TryGetManifestAsync(Repo), _ => ManifestAnswer(mediaType: contentType)));

    [Fact]
    public async Task A_manifest_over_4_MiB_is_SC4007_whether_announced_or_streamed()
    {
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        Assert.Equal("SC4007", await CodeOf(c => c.TryGetManifestAsync(Repo), _ => ManifestAnswer(huge)));

        // Without Content-Length the client stops reading at the limit.
        Assert.Equal("SC4007", await CodeOf(c => c.TryGetManifestAsync(Repo), _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new UnknownLengthStream(huge)) };
            response.Content.Headers.ContentType = new(OciMediaTypes.ImageManifest);
            return response;
        }));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:00\",\"size\":1},\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\",\"size\":-1}}")]
    [InlineData("[1,2")]
    public async Task A_malformed_manifest_is_SC4012(string json) =>
        Assert.Equal("SC4012", await CodeOf(c => c.TryGetManifestAsync(Repo), _ => ManifestAnswer(Utf8(json))));

    [Fact]
    public async Task A_blob_with_other_bytes_is_SC4006_and_a_longer_one_SC4007()
    {
        byte[] content = Utf8("the real blob");
        var descriptor = new OciDescriptor("application/octet-stream", Digest(content), content.Length);
        Assert.Equal("SC4006", await CodeOf(c => c.GetBlobAsync(Repo, descriptor), _ => StubRegistryHandler.Answer(HttpStatusCode.OK, Utf8("the fake blob"))));
        Assert.Equal("SC4006", await CodeOf(c => c.GetBlobAsync(Repo, descriptor), _ => StubRegistryHandler.Answer(HttpStatusCode.OK, Utf8("short"))));
        Assert.Equal("SC4007", await CodeOf(c => c.GetBlobAsync(Repo, descriptor), _ => StubRegistryHandler.Answer(HttpStatusCode.OK, Utf8("the real blob and more"))));
    }

    [Fact]
    public async Task A_blob_over_MaxBlobBytes_is_SC4007_without_a_request()
    {
        var handler = new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.OK));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { MaxBlobBytes = 100 });
        var big = new OciDescriptor("application/octet-stream", "sha256:" + new string('c', 64), 101);
        Assert.Equal("SC4007", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetBlobAsync(Repo, big))).Code);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Digest_addressed_content_is_served_from_the_cache_and_tags_never_are()
    {
        var handler = new StubRegistryHandler(_ => ManifestAnswer());
        using OciRegistryClient client = Client(handler);
        await client.TryGetManifestAsync(Repo);
        await client.TryGetManifestAsync(Repo);
        Assert.Equal(2, handler.Requests.Count);
        FetchedManifest? cached = await client.TryGetManifestAsync(Repo.WithDigest(Digest(Manifest)));
        Assert.Equal(Manifest, cached!.Content.ToArray());
        Assert.Equal(2, handler.Requests.Count);

        using OciRegistryClient uncached = Client(handler, new OciRegistryClientOptions { ContentCacheBytes = 0 });
        await uncached.TryGetManifestAsync(Repo.WithDigest(Digest(Manifest)));
        await uncached.TryGetManifestAsync(Repo.WithDigest(Digest(Manifest)));
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_pushed_manifest_the_registry_stores_under_another_digest_is_SC4006()
    {
        using OciRegistryClient client = Client(new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.Created, null, null, ("Docker-Content-Digest", "sha256:" + new string('d', 64)))));
        Assert.Equal("SC4006", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.PushManifestAsync(Repo, OciMediaTypes.ImageManifest, Manifest))).Code);
    }

    /// <summary>A stream that hides its length, so the response has no Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
