using SupplyChain.Oci.Copy;
using SupplyChain.Oci.Layout;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Layout;

/// <summary>Copies between a real registry (docker-registry, referrers tag schema) and layouts: everything attached, digests kept, re-runs complete.</summary>
public sealed class ImageCopierTests : IClassFixture<RegistryFixture>, IDisposable
{
    private const string BundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private readonly RegistryFixture _fixture;
    private readonly LayoutTestKit _kit = new();

    public ImageCopierTests(RegistryFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose() => _kit.Dispose();

    private ImageReference Repo(string name) => ImageReference.Parse($"{_fixture.Registry.Host}/copy/{name}-{Guid.NewGuid():N}");

    private static OciRegistryRouter Router() => new(new OciRegistryClient(new OciRegistryClientOptions { ReferrersIndexSettleDelay = TimeSpan.FromMilliseconds(20), ContentCacheBytes = 0 }));

    [RegistryFact]
    public async Task Layout_to_registry_to_layout_carries_platforms_referrers_and_legacy_tags_with_the_same_digests()
    {
        using OciRegistryRouter router = Router();
        ImageReference source = _kit.Layout("source");
        PushedImage index = await TestImages.PushIndexAsync(router, source, "v1", [new OciPlatform("linux", "amd64"), new OciPlatform("linux", "arm64")]);
        OciDescriptor onIndex = await LayoutTestKit.PushReferrerAsync(router, source, index.Descriptor, BundleType);
        OciDescriptor onPlatform = await LayoutTestKit.PushReferrerAsync(router, source, index.Platforms[1], "application/spdx+json");
        OciDescriptor onSignature = await LayoutTestKit.PushReferrerAsync(router, source, onIndex, BundleType);
        string legacyTag = OciDigest.ReferrersTag(index.Descriptor.Digest) + ".sig";
        PushedImage legacy = await TestImages.PushImageAsync(router, source, legacyTag);

        ImageReference hosted = Repo("app").WithTag("v1");
        ImageCopyResult up = await new ImageCopier(router).CopyAsync(source.WithTag("v1"), hosted);
        Assert.Equal(index.Descriptor.Digest, up.Destination.Digest);
        Assert.Equal(3, up.Referrers);
        Assert.Equal(1, up.LegacyTags);

        ImageReference back = _kit.Layout("back", "v2");
        await new ImageCopier(router).CopyAsync(hosted, back);
        foreach (ImageReference copy in new[] { hosted, back })
        {
            Assert.Equal(index.Manifest, (await router.TryGetManifestAsync(copy))!.Content.ToArray());
            foreach (OciDescriptor platform in index.Platforms)
            {
                FetchedManifest manifest = (await router.TryGetManifestAsync(copy.WithDigest(platform.Digest)))!;
                OciManifest parsed = OciManifest.Parse(manifest.Content.Span, manifest.Descriptor.MediaType);
                Assert.Equal(parsed.Layers[0].Size, (await router.GetBlobAsync(copy, parsed.Layers[0])).Length);
            }

            Assert.Equal(onIndex.Digest, Assert.Single(await router.ListReferrersAsync(copy.WithDigest(index.Descriptor.Digest))).Digest);
            Assert.Equal(onPlatform.Digest, Assert.Single(await router.ListReferrersAsync(copy.WithDigest(index.Platforms[1].Digest))).Digest);
            Assert.Equal(onSignature.Digest, Assert.Single(await router.ListReferrersAsync(copy.WithDigest(onIndex.Digest))).Digest);
            Assert.Equal(legacy.Descriptor.Digest, (await router.ResolveAsync(copy.WithTag(legacyTag))).Digest);
        }
    }

    [RegistryFact]
    public async Task A_copy_interrupted_midway_tags_nothing_and_a_rerun_completes()
    {
        using OciRegistryRouter router = Router();
        ImageReference source = Repo("src");
        PushedImage index = await TestImages.PushIndexAsync(router, source, "v1", [new OciPlatform("linux", "amd64"), new OciPlatform("linux", "arm64")]);
        OciDescriptor signature = await LayoutTestKit.PushReferrerAsync(router, source, index.Descriptor, BundleType);
        ImageReference destination = _kit.Layout("dst", "v1");

        using var cancel = new CancellationTokenSource();
        var interrupting = new InterruptingRegistry(router, afterManifests: 2, cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ImageCopier(interrupting).CopyAsync(source.WithTag("v1"), destination, cancellationToken: cancel.Token));
        Assert.Null(await router.TryGetManifestAsync(destination));

        ImageCopyResult rerun = await new ImageCopier(router).CopyAsync(source.WithTag("v1"), destination);
        Assert.Equal(index.Descriptor.Digest, rerun.Destination.Digest);
        Assert.Equal(index.Descriptor.Digest, (await router.ResolveAsync(destination)).Digest);
        Assert.Equal(signature.Digest, Assert.Single(await router.ListReferrersAsync(destination.WithDigest(index.Descriptor.Digest))).Digest);
    }

    /// <summary>Cancels the copy when the given number of manifests has been written.</summary>
    private sealed class InterruptingRegistry(IOciRegistry inner, int afterManifests, CancellationTokenSource cancel) : IOciRegistry
    {
        private int _manifests;

        public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) => inner.ResolveAsync(reference, cancellationToken);

        public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => inner.TryGetManifestAsync(reference, cancellationToken);

        public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default) => inner.GetBlobAsync(repository, blob, cancellationToken);

        public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PushBlobAsync(repository, mediaType, content, cancellationToken);

        public async Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default)
        {
            OciDescriptor pushed = await inner.PushManifestAsync(repository, mediaType, manifest, tag, cancellationToken);
            if (Interlocked.Increment(ref _manifests) >= afterManifests)
            {
                await cancel.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return pushed;
        }

        public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default) => inner.ListReferrersAsync(subject, artifactType, cancellationToken);

        public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) => inner.PushReferrerAsync(repository, mediaType, manifest, cancellationToken);
    }
}
