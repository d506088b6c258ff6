using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>The client against a real registry: Debian's docker-registry (distribution 2.8, no referrers API) on 127.0.0.1.</summary>
public class DistributionRegistryTests : IClassFixture<RegistryFixture>
{
    private const string BundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private readonly RegistryFixture _fixture;

    public DistributionRegistryTests(RegistryFixture fixture)
    {
        _fixture = fixture;
    }

    private ImageReference Repo(string name) => ImageReference.Parse($"{_fixture.Registry.Host}/{name}-{Guid.NewGuid():N}"[..Math.Min(200, _fixture.Registry.Host.Length + name.Length + 34)]);

    private static OciRegistryClient Client(OciRegistryClientOptions? options = null) =>
        new((options ?? new OciRegistryClientOptions()) with { ReferrersIndexSettleDelay = TimeSpan.FromMilliseconds(50) });

    [RegistryFact]
    public async Task Push_then_pull_round_trips_with_digests()
    {
        using OciRegistryClient client = Client(new OciRegistryClientOptions { ContentCacheBytes = 0 });
        ImageReference repo = Repo("roundtrip");
        PushedImage image = await TestImages.PushImageAsync(client, repo, "v1", layers: 2, annotations: new Dictionary<string, string> { ["org.example.note"] = "hi" });

        OciDescriptor resolved = await client.ResolveAsync(repo.WithTag("v1"));
        Assert.Equal(image.Descriptor.Digest, resolved.Digest);
        Assert.Equal(OciMediaTypes.ImageManifest, resolved.MediaType);

        FetchedManifest fetched = (await client.TryGetManifestAsync(image.Reference))!;
        Assert.Equal(image.Manifest, fetched.Content.ToArray());
        OciManifest manifest = OciManifest.Parse(fetched.Content.Span, fetched.Descriptor.MediaType);
        Assert.Equal("hi", manifest.Annotations!["org.example.note"]);
        Assert.Equal(2, manifest.Layers.Count);
        foreach (OciDescriptor layer in manifest.Layers.Append(manifest.Config))
        {
            ReadOnlyMemory<byte> blob = await client.GetBlobAsync(repo, layer);
            Assert.Equal(layer.Size, blob.Length);
            Assert.True(await client.BlobExistsAsync(repo, layer.Digest));
        }

        Assert.Null(await client.TryGetManifestAsync(repo.WithTag("absent")));
        Assert.Equal("SC4013", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.ResolveAsync(repo.WithTag("absent")))).Code);
        OciDescriptor missing = new("application/octet-stream", "sha256:" + new string('0', 64), 3);
        Assert.False(await client.BlobExistsAsync(repo, missing.Digest));
        Assert.Equal("SC4014", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.GetBlobAsync(repo, missing))).Code);
    }

    [RegistryFact]
    public async Task A_multi_arch_index_round_trips_with_platforms()
    {
        using OciRegistryClient client = Client();
        ImageReference repo = Repo("multiarch");
        PushedImage index = await TestImages.PushIndexAsync(client, repo, "multi", [new("linux", "amd64"), new("linux", "arm64", "v8")]);
        FetchedManifest fetched = (await client.TryGetManifestAsync(repo.WithTag("multi")))!;
        Assert.Equal(index.Descriptor.Digest, fetched.Descriptor.Digest);
        OciIndex parsed = OciIndex.Parse(fetched.Content.Span, fetched.Descriptor.MediaType);
        Assert.Equal(["amd64", "arm64"], parsed.Manifests.Select(m => m.Platform!.Architecture));
        Assert.Equal("v8", parsed.Manifests[1].Platform!.Variant);
        Assert.NotNull(await client.TryGetManifestAsync(repo.WithDigest(parsed.Manifests[1].Digest)));
    }

    [RegistryFact]
    public async Task A_large_blob_goes_up_in_chunks_and_comes_back_intact()
    {
        using OciRegistryClient client = Client(new OciRegistryClientOptions { ChunkedUploadThreshold = 64 * 1024, ChunkSize = 40 * 1024, ContentCacheBytes = 0 });
        ImageReference repo = Repo("chunked");
        byte[] content = TestImages.RandomBytes(150 * 1024 + 7);
        OciDescriptor pushed = await client.PushBlobAsync(repo, "application/octet-stream", content);
        Assert.Equal(content, (await client.GetBlobAsync(repo, pushed)).ToArray());
        Assert.Equal(pushed, await client.PushBlobAsync(repo, "application/octet-stream", content));
    }

    [RegistryFact]
    public async Task A_blob_mounts_across_repositories()
    {
        using OciRegistryClient client = Client(new OciRegistryClientOptions { ContentCacheBytes = 0 });
        ImageReference source = Repo("mount-src");
        ImageReference target = Repo("mount-dst");
        OciDescriptor blob = await client.PushBlobAsync(source, "application/octet-stream", TestImages.RandomBytes(2048));
        Assert.False(await client.BlobExistsAsync(target, blob.Digest));
        Assert.True(await client.MountBlobAsync(target, source, blob));
        Assert.True(await client.BlobExistsAsync(target, blob.Digest));
        Assert.Equal(blob.Size, (await client.GetBlobAsync(target, blob)).Length);
    }

    /// <summary>distribution 2.8 answers ?n=2 with every tag and no Link header; paging itself is covered with a stub.</summary>
    [RegistryFact]
    public async Task Tags_list_with_a_page_size()
    {
        using OciRegistryClient paged = Client(new OciRegistryClientOptions { TagPageSize = 2 });
        ImageReference repo = Repo("tags");
        PushedImage image = await TestImages.PushImageAsync(paged, repo, "t0");
        for (int i = 1; i < 5; i++)
        {
            await paged.PushManifestAsync(repo, OciMediaTypes.ImageManifest, image.Manifest, "t" + i);
        }

        Assert.Equal(["t0", "t1", "t2", "t3", "t4"], (await paged.ListTagsAsync(repo)).Order());
    }

    [RegistryFact]
    public async Task Referrers_fall_back_to_the_tag_schema_on_distribution_2_8()
    {
        using OciRegistryClient client = Client();
        ImageReference repo = Repo("referrers");
        PushedImage image = await TestImages.PushImageAsync(client, repo, "v1");
        Assert.Empty(await client.ListReferrersAsync(image.Reference));

        OciDescriptor bundle = await AttachAsync(client, repo, image, BundleType, "one");
        OciDescriptor other = await AttachAsync(client, repo, image, "application/vnd.example.sbom", "two");

        IReadOnlyList<OciDescriptor> all = await client.ListReferrersAsync(image.Reference);
        Assert.Equal([bundle.Digest, other.Digest], all.Select(d => d.Digest));
        OciDescriptor listed = Assert.Single(await client.ListReferrersAsync(image.Reference, BundleType));
        Assert.Equal(bundle.Digest, listed.Digest);
        Assert.Equal(BundleType, listed.ArtifactType);
        Assert.Equal("one", listed.Annotations!["org.example.name"]);

        // The index really is the tag-schema tag, holding an OCI index.
        FetchedManifest index = (await client.TryGetManifestAsync(repo.WithTag("sha256-" + image.Descriptor.Digest[7..])))!;
        Assert.Equal(OciMediaTypes.ImageIndex, index.Descriptor.MediaType);

        // Re-attaching the same manifest does not duplicate it.
        await AttachAsync(client, repo, image, BundleType, "one", reuse: bundle);
        Assert.Equal(2, (await client.ListReferrersAsync(image.Reference)).Count);
    }

    [RegistryFact]
    public async Task Eight_concurrent_attaches_from_separate_clients_all_end_up_listed()
    {
        using OciRegistryClient setup = Client();
        ImageReference repo = Repo("concurrent");
        PushedImage image = await TestImages.PushImageAsync(setup, repo, "v1");
        var clients = Enumerable.Range(0, 8).Select(_ => Client()).ToList();
        try
        {
            OciDescriptor[] attached = await Task.WhenAll(clients.Select((c, i) => AttachAsync(c, repo, image, BundleType, "sig" + i)));
            IReadOnlyList<OciDescriptor> listed = await setup.ListReferrersAsync(image.Reference);
            Assert.Equal(attached.Select(a => a.Digest).Order(), listed.Select(l => l.Digest).Order());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [RegistryFact]
    public async Task Concurrent_attaches_through_one_client_all_end_up_listed()
    {
        using OciRegistryClient client = Client();
        ImageReference repo = Repo("concurrent-one");
        PushedImage image = await TestImages.PushImageAsync(client, repo, "v1");
        OciDescriptor[] attached = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => AttachAsync(client, repo, image, BundleType, "sig" + i)));
        Assert.Equal(attached.Select(a => a.Digest).Order(), (await client.ListReferrersAsync(image.Reference)).Select(l => l.Digest).Order());
    }

    [RegistryFact]
    public async Task An_interrupted_attach_lists_nothing_and_a_rerun_completes_it()
    {
        using OciRegistryClient client = Client();
        ImageReference repo = Repo("interrupted");
        PushedImage image = await TestImages.PushImageAsync(client, repo, "v1");

        // Interrupted after the blobs and the manifest went up, before the index: nothing is listed, and no tag
        // points at anything missing.
        (string mediaType, byte[] manifest) = await ReferrerManifestAsync(client, repo, image, BundleType, "late");
        OciDescriptor pushed = await client.PushManifestAsync(repo, mediaType, manifest);
        Assert.Empty(await client.ListReferrersAsync(image.Reference));
        await AssertEveryListedReferrerExistsAsync(client, repo, image);

        // The re-run (same bytes) skips what is there and adds the index entry.
        OciDescriptor rerun = await client.PushReferrerAsync(repo, mediaType, manifest);
        Assert.Equal(pushed.Digest, rerun.Digest);
        Assert.Equal(pushed.Digest, Assert.Single(await client.ListReferrersAsync(image.Reference)).Digest);
        await AssertEveryListedReferrerExistsAsync(client, repo, image);
    }

    [RegistryFact]
    public async Task A_warm_client_needs_two_requests_where_a_cold_one_needs_five()
    {
        ImageReference repo = Repo("warm");
        PushedImage image;
        using (OciRegistryClient setup = Client())
        {
            image = await TestImages.PushImageAsync(setup, repo, "v1");
            await AttachAsync(setup, repo, image, BundleType, "bundle");
        }

        var counting = new CountingHandler();
        using OciRegistryClient client = Client(new OciRegistryClientOptions { Transport = counting });

        async Task VerifyLikeAsync()
        {
            OciDescriptor resolved = await client.ResolveAsync(repo.WithTag("v1"));
            OciDescriptor referrer = Assert.Single(await client.ListReferrersAsync(repo.WithDigest(resolved.Digest), BundleType));
            FetchedManifest manifest = (await client.TryGetManifestAsync(repo.WithDigest(referrer.Digest)))!;
            await client.GetBlobAsync(repo, OciManifest.Parse(manifest.Content.Span, manifest.Descriptor.MediaType).Layers[0]);
        }

        // Cold: tag GET, referrers API probe (404) + tag-schema index, referrer manifest, bundle blob.
        await VerifyLikeAsync();
        Assert.Equal(5, counting.Count);

        // Warm: the tag and the index tag again (never cached); the probe result, manifest and blob are reused.
        counting.Reset();
        await VerifyLikeAsync();
        Assert.Equal(2, counting.Count);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task An_image_built_by_umoci_and_pushed_by_skopeo_resolves_and_fetches()
    {
        string digest = UmociImages.BuildAndPush(_fixture.Registry, "umoci/app", "v1", new Dictionary<string, string> { ["org.example.base"] = "none" }, new Dictionary<string, string> { ["org.opencontainers.image.title"] = "app" });
        using OciRegistryClient client = Client();
        ImageReference reference = ImageReference.Parse($"{_fixture.Registry.Host}/umoci/app:v1");
        OciDescriptor resolved = await client.ResolveAsync(reference);
        Assert.Equal(digest, resolved.Digest);
        FetchedManifest fetched = (await client.TryGetManifestAsync(reference.WithDigest(digest)))!;
        OciManifest manifest = OciManifest.Parse(fetched.Content.Span, fetched.Descriptor.MediaType);
        Assert.Equal("app", manifest.Annotations!["org.opencontainers.image.title"]);
        string config = Encoding.UTF8.GetString((await client.GetBlobAsync(reference, manifest.Config)).Span);
        Assert.Contains("\"org.example.base\":\"none\"", config, StringComparison.Ordinal);
        Assert.Equal(manifest.Layers[0].Size, (await client.GetBlobAsync(reference, manifest.Layers[0])).Length);
    }

    private static async Task AssertEveryListedReferrerExistsAsync(OciRegistryClient client, ImageReference repo, PushedImage image)
    {
        foreach (OciDescriptor referrer in await client.ListReferrersAsync(image.Reference))
        {
            Assert.True(await client.ManifestExistsAsync(repo.WithDigest(referrer.Digest)), referrer.Digest);
        }
    }

    internal static async Task<(string MediaType, byte[] Manifest)> ReferrerManifestAsync(IOciRegistry client, ImageReference repo, PushedImage image, string artifactType, string name)
    {
        OciDescriptor empty = await client.PushBlobAsync(repo, OciMediaTypes.Empty, "{}"u8.ToArray());
        OciDescriptor layer = await client.PushBlobAsync(repo, artifactType, Encoding.UTF8.GetBytes("{\"name\":\"" + name + "\"}"));
        byte[] manifest = OciManifest.Create(
            empty,
            [layer],
            artifactType,
            new OciDescriptor(image.Descriptor.MediaType, image.Descriptor.Digest, image.Descriptor.Size),
            new Dictionary<string, string> { ["org.example.name"] = name }).ToJson();
        return (OciMediaTypes.ImageManifest, manifest);
    }

    private static async Task<OciDescriptor> AttachAsync(OciRegistryClient client, ImageReference repo, PushedImage image, string artifactType, string name, OciDescriptor? reuse = null)
    {
        (string mediaType, byte[] manifest) = await ReferrerManifestAsync(client, repo, image, artifactType, name);
        OciDescriptor pushed = await client.PushReferrerAsync(repo, mediaType, manifest);
        if (reuse is not null)
        {
            Assert.Equal(reuse.Digest, pushed.Digest);
        }

        return pushed;
    }
}
