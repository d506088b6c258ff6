using SupplyChain.Oci.Layout;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Layout;

/// <summary>Layouts made by umoci and skopeo are read; what this library writes is read back by skopeo.</summary>
public sealed class LayoutPeerTests : IDisposable
{
    private readonly LayoutTestKit _kit = new();
    private readonly OciLayoutRegistry _layouts = new();

    public void Dispose() => _kit.Dispose();

    [RegistryFact(needsImageTools: true)]
    public async Task A_layout_umoci_built_and_skopeo_copied_is_read_with_its_tags()
    {
        string built = _kit.PathOf("built");
        DistributionRegistry.Run("umoci", "init", "--layout", built);
        DistributionRegistry.Run("umoci", "new", "--image", built + ":base");
        string file = _kit.PathOf("file");
        File.WriteAllText(file, "content");
        DistributionRegistry.Run("umoci", "insert", "--rootless", "--image", built + ":base", file, "/file");
        DistributionRegistry.Run("skopeo", "copy", "--quiet", "oci:" + built + ":base", "oci:" + _kit.PathOf("copied") + ":v1");

        foreach (ImageReference reference in new[] { _kit.Layout("built", "base"), _kit.Layout("copied", "v1"), _kit.Layout("copied") })
        {
            FetchedManifest manifest = (await _layouts.TryGetManifestAsync(reference))!;
            OciManifest parsed = OciManifest.Parse(manifest.Content.Span, manifest.Descriptor.MediaType);
            Assert.Single(parsed.Layers);
            Assert.Equal(parsed.Layers[0].Size, (await _layouts.GetBlobAsync(reference, parsed.Layers[0])).Length);
        }
    }

    [RegistryFact(needsImageTools: true)]
    public async Task Skopeo_reads_what_this_library_writes_with_referrers_in_index_json()
    {
        ImageReference layout = _kit.Layout("ours");
        PushedImage image = await TestImages.PushImageAsync(_layouts, layout, "v1", layers: 2);
        await LayoutTestKit.PushReferrerAsync(_layouts, layout, image.Descriptor, "application/vnd.dev.sigstore.bundle.v0.3+json");

        string inspected = DistributionRegistry.Run("skopeo", "inspect", "--raw", "oci:" + layout.LayoutPath + ":v1");
        Assert.Equal(System.Text.Encoding.UTF8.GetString(image.Manifest), inspected.Trim());
        DistributionRegistry.Run("skopeo", "copy", "--quiet", "--preserve-digests", "oci:" + layout.LayoutPath + ":v1", "oci:" + _kit.PathOf("back") + ":v1");
        Assert.Equal(image.Descriptor.Digest, (await _layouts.ResolveAsync(_kit.Layout("back", "v1"))).Digest);
    }
}
