using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;
using SupplyChain.Http;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>
/// The referrers API path (distribution 2.8 lacks it, so it is covered here): pagination, filters, the 404 fallback,
/// and errors that must never read as "no referrers".
/// </summary>
public class ReferrersApiTests
{
    private const string Sig = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private const string Sbom = "application/spdx+json";
    private static readonly ImageReference Subject = Repo.WithDigest(Digest(Manifest));

    private static OciDescriptor Referrer(char c, string artifactType) =>
        new(OciMediaTypes.ImageManifest, "sha256:" + new string(c, 64), 100) { ArtifactType = artifactType };

    private static HttpResponseMessage IndexAnswer(IReadOnlyList<OciDescriptor> manifests, params (string, string)[] headers) =>
        StubRegistryHandler.Answer(HttpStatusCode.OK, OciIndex.Create(manifests).ToJson(), OciMediaTypes.ImageIndex, headers);

    [Fact]
    public async Task Pages_are_followed_and_an_unapplied_filter_is_applied_by_the_client()
    {
        var handler = new StubRegistryHandler(r => r.Uri.Query.Contains("page=2", StringComparison.Ordinal)
            ? IndexAnswer([Referrer('c', Sig)])
            : IndexAnswer([Referrer('a', Sig), Referrer('b', Sbom)], ("Link", $"</v2/team/app/referrers/{Subject.Digest}?page=2>; rel=\"next\"")));
        using OciRegistryClient client = Client(handler);

        Assert.Equal(["a", "b", "c"], (await client.ListReferrersAsync(Subject)).Select(d => d.Digest[7..8]));
        Assert.Equal(["a", "c"], (await client.ListReferrersAsync(Subject, Sig)).Select(d => d.Digest[7..8]));
        Assert.Contains(handler.Requests, r => r.Uri.Query.Contains("artifactType=application%2Fvnd.dev.sigstore.bundle.v0.3%2Bjson", StringComparison.Ordinal));
        Assert.DoesNotContain(handler.Requests, r => r.PathAndQuery.Contains("sha256-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_filter_the_registry_applied_is_trusted()
    {
        // A registry that says it filtered is believed (spec: OCI-Filters-Applied); the client does not re-filter.
        var handler = new StubRegistryHandler(_ => IndexAnswer([Referrer('a', Sig)], ("OCI-Filters-Applied", "artifactType")));
        using OciRegistryClient client = Client(handler);
        Assert.Single(await client.ListReferrersAsync(Subject, Sig));
    }

    [Fact]
    public async Task A_404_falls_back_to_the_tag_schema_and_a_missing_tag_means_none()
    {
        string tag = "sha256-" + Subject.Digest![7..];
        var handler = new StubRegistryHandler(r => StubRegistryHandler.Answer(HttpStatusCode.NotFound));
        using OciRegistryClient client = Client(handler);
        Assert.Empty(await client.ListReferrersAsync(Subject));
        Assert.Equal([$"/v2/team/app/referrers/{Subject.Digest}", $"/v2/team/app/manifests/{tag}"], handler.Requests.Select(r => r.Uri.AbsolutePath));

        // The client remembers that this registry has no referrers API: the next listing costs one request.
        Assert.Empty(await client.ListReferrersAsync(Subject));
        Assert.Equal($"/v2/team/app/manifests/{tag}", handler.Requests.Last().Uri.AbsolutePath);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task The_tag_schema_index_is_read_and_filtered()
    {
        var handler = new StubRegistryHandler(r => r.Uri.AbsolutePath.Contains("/referrers/", StringComparison.Ordinal)
            ? StubRegistryHandler.Answer(HttpStatusCode.NotFound)
            : IndexAnswer([Referrer('a', Sig), Referrer('b', Sbom)]));
        using OciRegistryClient client = Client(handler);
        Assert.Equal(["b"], (await client.ListReferrersAsync(Subject, Sbom)).Select(d => d.Digest[7..8]));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "SC4005")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SC4003")]
    [InlineData(HttpStatusCode.Unauthorized, "SC4004")]
    [InlineData(HttpStatusCode.Forbidden, "SC4004")]
    public async Task A_failing_fallback_tag_is_an_error_never_an_empty_list(HttpStatusCode status, string code)
    {
        var handler = new StubRegistryHandler(r => r.Uri.AbsolutePath.Contains("/referrers/", StringComparison.Ordinal)
            ? StubRegistryHandler.Answer(HttpStatusCode.NotFound)
            : Error(status, "NOPE"));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxAttempts = 2 } });
        Assert.Equal(code, (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ListReferrersAsync(Subject))).Code);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "SC4005")]
    [InlineData(HttpStatusCode.InternalServerError, "SC4003")]
    [InlineData(HttpStatusCode.BadRequest, "SC4003")]
    public async Task A_failing_referrers_api_is_an_error_and_does_not_fall_back(HttpStatusCode status, string code)
    {
        var handler = new StubRegistryHandler(_ => Error(status, "NOPE"));
        using OciRegistryClient client = Client(handler, new OciRegistryClientOptions { Retry = HttpRetryPolicy.Default with { MaxAttempts = 2 } });
        Assert.Equal(code, (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ListReferrersAsync(Subject))).Code);
        Assert.DoesNotContain(handler.Requests, r => r.PathAndQuery.Contains("sha256-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_referrers_answer_that_is_not_an_index_is_SC4008()
    {
        using OciRegistryClient client = Client(new StubRegistryHandler(_ => StubRegistryHandler.Json(HttpStatusCode.OK, "{\"manifests\":[]}")));
        Assert.Equal("SC4008", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ListReferrersAsync(Subject))).Code);
    }

    [Fact]
    public async Task Listing_needs_a_digest()
    {
        using OciRegistryClient client = Client(new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.NotFound)));
        Assert.Equal("SC4001", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ListReferrersAsync(Repo))).Code);
    }

    [Fact]
    public async Task A_registry_that_processes_subjects_gets_no_index_tag()
    {
        byte[] referrer = OciManifest.Create(
            new OciDescriptor(OciMediaTypes.Empty, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2),
            [],
            Sig,
            new OciDescriptor(OciMediaTypes.ImageManifest, Subject.Digest!, Manifest.Length)).ToJson();
        var handler = new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.Created, null, null, ("OCI-Subject", Subject.Digest!)));
        using OciRegistryClient client = Client(handler);
        OciDescriptor pushed = await client.PushReferrerAsync(Repo, OciMediaTypes.ImageManifest, referrer);
        Assert.Equal(Digest(referrer), pushed.Digest);
        Assert.Equal(Sig, pushed.ArtifactType);
        Assert.Equal($"/v2/team/app/manifests/{pushed.Digest}", Assert.Single(handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task A_referrer_without_a_subject_is_SC4017()
    {
        using OciRegistryClient client = Client(new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.Created)));
        Assert.Equal("SC4017", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.PushReferrerAsync(Repo, OciMediaTypes.ImageManifest, Manifest))).Code);
    }

    [Fact]
    public async Task A_412_to_the_conditional_index_put_is_retried_without_the_condition()
    {
        byte[] referrer = OciManifest.Create(
            new OciDescriptor(OciMediaTypes.Empty, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2),
            [],
            Sig,
            new OciDescriptor(OciMediaTypes.ImageManifest, Subject.Digest!, Manifest.Length)).ToJson();
        byte[] existing = OciIndex.Create([Referrer('a', Sbom)]).ToJson();
        byte[]? stored = null;
        var handler = new StubRegistryHandler(r =>
        {
            if (r.Uri.AbsolutePath.Contains("/referrers/", StringComparison.Ordinal))
            {
                return StubRegistryHandler.Answer(HttpStatusCode.NotFound);
            }

            if (r.Method == HttpMethod.Put && r.Uri.AbsolutePath.Contains("sha256-", StringComparison.Ordinal))
            {
                if (r.Headers.ContainsKey("If-Match"))
                {
                    return StubRegistryHandler.Answer(HttpStatusCode.PreconditionFailed);
                }

                stored = r.Body;
                return StubRegistryHandler.Answer(HttpStatusCode.Created);
            }

            return r.Method == HttpMethod.Put ? StubRegistryHandler.Answer(HttpStatusCode.Created) : IndexAnswer(OciIndex.Parse(stored ?? existing).Manifests);
        });
        using OciRegistryClient client = Client(handler);
        OciDescriptor pushed = await client.PushReferrerAsync(Repo, OciMediaTypes.ImageManifest, referrer);
        Assert.Equal(["a", pushed.Digest[7..8]], OciIndex.Parse(stored).Manifests.Select(m => m.Digest[7..8]));
        Assert.Equal($"\"{Digest(existing)}\"", handler.Requests.First(r => r.Headers.ContainsKey("If-Match")).Headers["If-Match"]);
    }

    [Fact]
    public async Task An_index_that_keeps_losing_the_entry_is_SC4016_after_bounded_attempts()
    {
        byte[] referrer = OciManifest.Create(
            new OciDescriptor(OciMediaTypes.Empty, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2),
            [],
            Sig,
            new OciDescriptor(OciMediaTypes.ImageManifest, Subject.Digest!, Manifest.Length)).ToJson();

        // A registry without subject processing whose index tag always reads back empty (a writer that always wins).
        var handler = new StubRegistryHandler(r => r.Method == HttpMethod.Put ? StubRegistryHandler.Answer(HttpStatusCode.Created)
            : IndexAnswer([]));
        using OciRegistryClient client = Client(handler);
        Assert.Equal("SC4016", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.PushReferrerAsync(Repo, OciMediaTypes.ImageManifest, referrer))).Code);
        Assert.Equal(1 + 16, handler.Requests.Count(r => r.Method == HttpMethod.Put));
    }
}
