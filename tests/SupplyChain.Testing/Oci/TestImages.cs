using System.Security.Cryptography;
using System.Text;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Testing.Oci;

/// <summary>An image pushed by <see cref="TestImages"/>: its reference by digest, descriptor and manifest bytes.</summary>
/// <param name="Reference">The image, by tag and digest.</param>
/// <param name="Descriptor">The manifest's (or index's) descriptor.</param>
/// <param name="Manifest">The manifest's bytes.</param>
/// <param name="Platforms">For an index, the platform manifests' descriptors; else empty.</param>
public sealed record PushedImage(ImageReference Reference, OciDescriptor Descriptor, byte[] Manifest, IReadOnlyList<OciDescriptor> Platforms);

/// <summary>
/// Pushes small random images with the client itself (fast, in-process): a config with labels, one or more random
/// layers, optional manifest annotations, optionally a multi-arch index over several platforms.
/// </summary>
public static class TestImages
{
    /// <summary>Pushes a single-platform image and tags it.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="repository">The repository.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="layers">How many random layers.</param>
    /// <param name="layerBytes">Each layer's size.</param>
    /// <param name="labels">Config labels, or <c>null</c>.</param>
    /// <param name="annotations">Manifest annotations, or <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the pushes.</param>
    /// <returns>The pushed image.</returns>
    public static async Task<PushedImage> PushImageAsync(IOciRegistry registry, ImageReference repository, string tag, int layers = 1, int layerBytes = 1024, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        (OciDescriptor descriptor, byte[] manifest) = await PushManifestAsync(registry, repository, new OciPlatform("linux", "amd64"), layers, layerBytes, labels, annotations, tag, cancellationToken).ConfigureAwait(false);
        return new PushedImage(repository.WithTag(tag).WithDigest(descriptor.Digest), descriptor, manifest, []);
    }

    /// <summary>Pushes one image per platform and an index over them, tagged.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="repository">The repository.</param>
    /// <param name="tag">The tag of the index.</param>
    /// <param name="platforms">The platforms.</param>
    /// <param name="cancellationToken">Cancels the pushes.</param>
    /// <returns>The pushed index, with its platform manifests.</returns>
    public static async Task<PushedImage> PushIndexAsync(IOciRegistry registry, ImageReference repository, string tag, IReadOnlyList<OciPlatform> platforms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(platforms);
        var entries = new List<OciDescriptor>();
        foreach (OciPlatform platform in platforms)
        {
            (OciDescriptor descriptor, _) = await PushManifestAsync(registry, repository, platform, 1, 512, null, null, null, cancellationToken).ConfigureAwait(false);
            entries.Add(descriptor with { Platform = platform });
        }

        byte[] index = OciIndex.Create(entries).ToJson();
        OciDescriptor pushed = await registry.PushManifestAsync(repository, OciMediaTypes.ImageIndex, index, tag, cancellationToken).ConfigureAwait(false);
        return new PushedImage(repository.WithTag(tag).WithDigest(pushed.Digest), pushed, index, entries);
    }

    /// <summary>Random bytes.</summary>
    /// <param name="length">How many.</param>
    /// <returns>The bytes.</returns>
    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    private static async Task<(OciDescriptor Descriptor, byte[] Manifest)> PushManifestAsync(IOciRegistry registry, ImageReference repository, OciPlatform platform, int layers, int layerBytes, IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations, string? tag, CancellationToken cancellationToken)
    {
        var layerDescriptors = new List<OciDescriptor>();
        for (int i = 0; i < layers; i++)
        {
            layerDescriptors.Add(await registry.PushBlobAsync(repository, "application/vnd.oci.image.layer.v1.tar+gzip", RandomBytes(layerBytes), cancellationToken).ConfigureAwait(false));
        }

        var config = new StringBuilder($"{{\"architecture\":\"{platform.Architecture}\",\"os\":\"{platform.Os}\",\"config\":{{\"Labels\":{{");
        config.AppendJoin(',', (labels ?? new Dictionary<string, string>()).Select(l => $"\"{l.Key}\":\"{l.Value}\""));
        config.Append("}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
        config.AppendJoin(',', layerDescriptors.Select(l => $"\"{l.Digest}\""));
        config.Append("]},\"nonce\":\"").Append(Guid.NewGuid().ToString("N")).Append("\"}");
        OciDescriptor configDescriptor = await registry.PushBlobAsync(repository, OciMediaTypes.ImageConfig, Encoding.UTF8.GetBytes(config.ToString()), cancellationToken).ConfigureAwait(false);
        byte[] manifest = OciManifest.Create(configDescriptor, layerDescriptors, annotations: annotations).ToJson();
        OciDescriptor descriptor = await registry.PushManifestAsync(repository, OciMediaTypes.ImageManifest, manifest, tag, cancellationToken).ConfigureAwait(false);
        return (descriptor, manifest);
    }
}
