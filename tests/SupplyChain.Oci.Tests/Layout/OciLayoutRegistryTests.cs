using System.Text;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Layout;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Layout;

/// <summary>OCI image layouts as a registry: the layout spec's rules, referrers in index.json, untrusted content, atomic and concurrent writes.</summary>
public sealed class OciLayoutRegistryTests : IDisposable
{
    private const string BundleType = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private readonly LayoutTestKit _kit = new();
    private readonly OciLayoutRegistry _layouts = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Push_creates_a_layout_the_spec_describes_and_reads_back_by_tag_digest_and_alone()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1", layers: 2);

        // image-layout.md: the oci-layout file, index.json, blobs/<alg>/<encoded>.
        using (JsonDocument marker = JsonDocument.Parse(File.ReadAllBytes(_kit.PathOf("app", "oci-layout"))))
        {
            Assert.Equal("1.0.0", marker.RootElement.GetProperty("imageLayoutVersion").GetString());
        }

        Assert.True(File.Exists(_kit.PathOf("app", "blobs", "sha256", image.Descriptor.Digest["sha256:".Length..])));
        OciIndex index = OciIndex.Parse(File.ReadAllBytes(_kit.PathOf("app", "index.json")));
        OciDescriptor entry = Assert.Single(index.Manifests);
        Assert.Equal("v1", entry.Annotations!["org.opencontainers.image.ref.name"]);

        Assert.Equal(image.Descriptor.Digest, (await _layouts.ResolveAsync(layout.WithTag("v1"))).Digest);
        Assert.Equal(image.Manifest, (await _layouts.TryGetManifestAsync(image.Reference))!.Content.ToArray());
        Assert.Equal(image.Descriptor.Digest, (await _layouts.ResolveAsync(layout)).Digest);
        Assert.Null(await _layouts.TryGetManifestAsync(layout.WithTag("absent")));
        Assert.Equal("SC4013", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout.WithTag("absent")))).Code);

        OciManifest manifest = OciManifest.Parse((await _layouts.TryGetManifestAsync(image.Reference))!.Content.Span);
        Assert.Equal(manifest.Config.Size, (await _layouts.GetBlobAsync(layout, manifest.Config)).Length);
        Assert.Equal("SC4014", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.GetBlobAsync(layout, new OciDescriptor("x/y", "sha256:" + new string('0', 64), 3)))).Code);
    }

    [Fact]
    public async Task Moving_a_tag_replaces_its_entry()
    {
        ImageReference layout = _kit.Layout("app");
        await TestImages.PushImageAsync(_layouts, layout, "v1");
        PushedImage second = await TestImages.PushImageAsync(_layouts, layout, "v1");
        Assert.Equal(second.Descriptor.Digest, (await _layouts.ResolveAsync(layout.WithTag("v1"))).Digest);
        Assert.Single(OciIndex.Parse(File.ReadAllBytes(_kit.PathOf("app", "index.json"))).Manifests);
    }

    [Fact]
    public async Task Referrers_are_stored_in_index_json_listed_by_subject_and_filtered_by_type()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");
        PushedImage other = await TestImages.PushImageAsync(_layouts, layout, "v2");
        OciDescriptor signature = await LayoutTestKit.PushReferrerAsync(_layouts, layout, image.Descriptor, BundleType);
        OciDescriptor sbom = await LayoutTestKit.PushReferrerAsync(_layouts, layout, image.Descriptor, "application/spdx+json");
        await LayoutTestKit.PushReferrerAsync(_layouts, layout, other.Descriptor, BundleType);

        OciIndex index = OciIndex.Parse(File.ReadAllBytes(_kit.PathOf("app", "index.json")));
        Assert.Contains(index.Manifests, d => d.Digest == signature.Digest && d.Annotations is null);

        IReadOnlyList<OciDescriptor> all = await _layouts.ListReferrersAsync(image.Reference);
        Assert.Equal(new[] { signature.Digest, sbom.Digest }.Order(), all.Select(d => d.Digest).Order());
        OciDescriptor only = Assert.Single(await _layouts.ListReferrersAsync(image.Reference, BundleType));
        Assert.Equal(signature.Digest, only.Digest);
        Assert.Equal(BundleType, only.ArtifactType);
        Assert.Equal("SC4001", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ListReferrersAsync(layout.WithTag("v1")))).Code);
    }

    [Fact]
    public async Task A_reference_without_tag_names_the_only_image_not_its_referrers_and_is_ambiguous_over_two()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");
        await LayoutTestKit.PushReferrerAsync(_layouts, layout, image.Descriptor, BundleType);
        Assert.Equal(image.Descriptor.Digest, (await _layouts.ResolveAsync(layout)).Digest);

        await TestImages.PushImageAsync(_layouts, layout, "v2");
        Assert.Equal("SC4062", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout))).Code);
    }

    [Fact]
    public async Task A_blob_that_does_not_match_its_digest_is_refused()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");
        OciManifest manifest = OciManifest.Parse(image.Manifest);
        string layerPath = _kit.PathOf("app", "blobs", "sha256", manifest.Layers[0].Digest["sha256:".Length..]);
        byte[] bytes = File.ReadAllBytes(layerPath);
        bytes[0] ^= 1;
        File.WriteAllBytes(layerPath, bytes);
        Assert.Equal("SC4006", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.GetBlobAsync(layout, manifest.Layers[0]))).Code);

        // A manifest swapped for other bytes of the same size under its name: the digest it is stored under decides.
        string manifestPath = _kit.PathOf("app", "blobs", "sha256", image.Descriptor.Digest["sha256:".Length..]);
        string text = Encoding.UTF8.GetString(image.Manifest);
        Assert.Contains("\"schemaVersion\":2", text, StringComparison.Ordinal);
        File.WriteAllBytes(manifestPath, Encoding.UTF8.GetBytes(text.Replace("\"schemaVersion\":2", "\"schemaVersion\":3", StringComparison.Ordinal)));
        Assert.Equal("SC4006", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout.WithTag("v1")))).Code);
        Assert.Equal("SC4006", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.TryGetManifestAsync(image.Reference))).Code);

        // Longer than index.json says: refused by size before it is hashed.
        File.WriteAllBytes(manifestPath, Encoding.UTF8.GetBytes(text + " "));
        Assert.Equal("SC4007", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout.WithTag("v1")))).Code);
    }

    [Fact]
    public async Task A_symbolic_link_below_the_root_is_never_followed()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");
        OciManifest manifest = OciManifest.Parse(image.Manifest);
        string outside = Path.Combine(_kit.Folder, "outside");
        string layerPath = _kit.PathOf("app", "blobs", "sha256", manifest.Layers[0].Digest["sha256:".Length..]);
        File.Move(layerPath, outside);
        File.CreateSymbolicLink(layerPath, outside);
        Assert.Equal("SC4061", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.GetBlobAsync(layout, manifest.Layers[0]))).Code);

        // blobs/ itself a link to a folder outside: refused for reads and writes.
        Directory.Move(_kit.PathOf("app", "blobs"), Path.Combine(_kit.Folder, "elsewhere"));
        Directory.CreateSymbolicLink(_kit.PathOf("app", "blobs"), Path.Combine(_kit.Folder, "elsewhere"));
        Assert.Equal("SC4061", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout.WithTag("v1")))).Code);
        Assert.Equal("SC4061", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.PushBlobAsync(layout, "x/y", new byte[] { 1 }))).Code);

        // index.json a link: refused.
        Directory.Delete(_kit.PathOf("app", "blobs"));
        Directory.Move(Path.Combine(_kit.Folder, "elsewhere"), _kit.PathOf("app", "blobs"));
        File.Move(_kit.PathOf("app", "index.json"), Path.Combine(_kit.Folder, "index.json"));
        File.CreateSymbolicLink(_kit.PathOf("app", "index.json"), Path.Combine(_kit.Folder, "index.json"));
        Assert.Equal("SC4061", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout.WithTag("v1")))).Code);
    }

    [Fact]
    public async Task A_fifo_in_place_of_a_blob_is_refused_without_opening_it()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");
        OciManifest manifest = OciManifest.Parse(image.Manifest);
        string layerPath = _kit.PathOf("app", "blobs", "sha256", manifest.Layers[0].Digest["sha256:".Length..]);
        File.Delete(layerPath);
        DistributionRegistry.Run("mkfifo", layerPath);

        // Opening a FIFO for reading blocks until a writer comes: the size (0, not the descriptor's) refuses it first.
        Task<ReadOnlyMemory<byte>> read = _layouts.GetBlobAsync(layout, manifest.Layers[0]);
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.Equal("SC4007", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => read)).Code);
    }

    [Fact]
    public async Task A_directory_that_is_not_a_layout_is_refused()
    {
        Directory.CreateDirectory(_kit.PathOf("plain"));
        Assert.Equal("SC4060", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(_kit.Layout("plain", "v1")))).Code);
        Assert.Equal("SC4060", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(_kit.Layout("missing", "v1")))).Code);

        ImageReference layout = _kit.Layout("app");
        await TestImages.PushImageAsync(_layouts, layout, "v1");
        File.WriteAllText(_kit.PathOf("app", "oci-layout"), """{"imageLayoutVersion":"2.0.0"}""");
        Assert.Equal("SC4060", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout.WithTag("v1")))).Code);
        File.WriteAllText(_kit.PathOf("app", "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(_kit.PathOf("app", "index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":");
        Assert.Equal("SC4060", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => _layouts.ResolveAsync(layout.WithTag("v1")))).Code);
    }

    [Fact]
    public async Task An_interrupted_writer_leaves_a_valid_layout_and_a_rerun_completes()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");

        // What a writer killed after its blobs and before index.json leaves: unlisted blobs and a temporary file.
        await _layouts.PushBlobAsync(layout, "application/octet-stream", TestImages.RandomBytes(64));
        File.WriteAllBytes(_kit.PathOf("app", ".supplychain-0123.tmp"), [1, 2, 3]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LayoutTestKit.PushReferrerAsync(new CancellingRegistry(_layouts, cancelled.Token), layout, image.Descriptor, BundleType));

        Assert.Equal(image.Descriptor.Digest, (await _layouts.ResolveAsync(layout.WithTag("v1"))).Digest);
        Assert.Empty(await _layouts.ListReferrersAsync(image.Reference));
        OciDescriptor signature = await LayoutTestKit.PushReferrerAsync(_layouts, layout, image.Descriptor, BundleType);
        Assert.Equal(signature.Digest, Assert.Single(await _layouts.ListReferrersAsync(image.Reference)).Digest);
    }

    [Fact]
    public async Task Concurrent_writers_with_their_own_registries_lose_no_referrer()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");

        // Two writers that share nothing in memory: only the lock file orders them (as two signcli processes).
        var first = new OciLayoutRegistry();
        var second = new OciLayoutRegistry();
        Task<OciDescriptor[]> a = Task.Run(() => Task.WhenAll(Enumerable.Range(0, 12).Select(_ => LayoutTestKit.PushReferrerAsync(first, layout, image.Descriptor, BundleType))));
        Task<OciDescriptor[]> b = Task.Run(() => Task.WhenAll(Enumerable.Range(0, 12).Select(_ => LayoutTestKit.PushReferrerAsync(second, layout, image.Descriptor, BundleType))));
        OciDescriptor[] pushed = [.. await a, .. await b];

        IReadOnlyList<OciDescriptor> listed = await new OciLayoutRegistry().ListReferrersAsync(image.Reference);
        Assert.Equal(pushed.Select(d => d.Digest).Order(), listed.Select(d => d.Digest).Order());
    }

    [Fact]
    public async Task A_held_lock_times_out_with_a_code()
    {
        ImageReference layout = _kit.Layout("app");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1");
        using var held = new FileStream(_kit.PathOf("app", ".supplychain.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var impatient = new OciLayoutRegistry(new OciLayoutRegistryOptions { LockTimeout = TimeSpan.FromMilliseconds(100) });
        Assert.Equal("SC4063", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => LayoutTestKit.PushReferrerAsync(impatient, layout, image.Descriptor, BundleType))).Code);
    }

    [Fact]
    public async Task Allowed_roots_confine_layouts_by_their_real_paths()
    {
        ImageReference inside = _kit.Layout("root/app");
        ImageReference outside = _kit.Layout("other/app");
        await TestImages.PushImageAsync(_layouts, inside, "v1");
        await TestImages.PushImageAsync(_layouts, outside, "v1");
        Directory.CreateSymbolicLink(_kit.PathOf("root", "escape"), _kit.PathOf("other"));
        var confined = new OciLayoutRegistry(new OciLayoutRegistryOptions { AllowedRoots = [_kit.PathOf("root")] });

        Assert.NotNull(await confined.TryGetManifestAsync(inside.WithTag("v1")));
        Assert.Equal("SC4065", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => confined.ResolveAsync(outside.WithTag("v1")))).Code);
        Assert.Equal("SC4065", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => confined.ResolveAsync(ImageReference.ParseLayout("oci:" + _kit.PathOf("root", "escape", "app") + ":v1")))).Code);
        Assert.Equal("SC4065", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => confined.ResolveAsync(ImageReference.Parse("registry.example/app:v1")))).Code);
    }

    [Fact]
    public async Task The_router_sends_layouts_to_the_layout_registry_and_the_rest_to_the_client()
    {
        var remote = new InMemoryRegistry();
        using var router = new OciRegistryRouter(remote, _layouts);
        PushedImage local = await TestImages.PushImageAsync(router, _kit.Layout("app"), "v1");
        PushedImage hosted = await TestImages.PushImageAsync(router, ImageReference.Parse("registry.example/app"), "v1");
        Assert.NotNull(await _layouts.TryGetManifestAsync(local.Reference));
        Assert.NotNull(await remote.TryGetManifestAsync(hosted.Reference));
        Assert.Null(await remote.TryGetManifestAsync(ImageReference.Parse("registry.example/app@" + local.Descriptor.Digest)));
    }

    /// <summary>Passes through, with the given token instead of the caller's: cancels whatever comes after the first call.</summary>
    private sealed class CancellingRegistry(IOciRegistry inner, CancellationToken token) : IOciRegistry
    {
        private int _calls;

        private CancellationToken Next() => Interlocked.Increment(ref _calls) > 2 ? token : default;

        public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) => inner.ResolveAsync(reference, Next());

        public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => inner.TryGetManifestAsync(reference, Next());

        public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default) => inner.GetBlobAsync(repository, blob, Next());

        public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PushBlobAsync(repository, mediaType, content, Next());

        public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default) => inner.PushManifestAsync(repository, mediaType, manifest, tag, Next());

        public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default) => inner.ListReferrersAsync(subject, artifactType, Next());

        public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) => inner.PushReferrerAsync(repository, mediaType, manifest, Next());
    }
}
