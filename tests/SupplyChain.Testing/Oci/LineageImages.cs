using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Testing.Oci;

/// <summary>An image pushed by <see cref="LineageImages"/>.</summary>
/// <param name="Reference">Its repository at its digest (with the tag it was pushed under, if any).</param>
/// <param name="DiffIds">Its config's <c>rootfs.diff_ids</c> (empty for an index).</param>
public sealed record LineageImage(ImageReference Reference, IReadOnlyList<string> DiffIds)
{
    /// <summary>The manifest's (or index's) digest.</summary>
    public string Digest => Reference.Digest!;

    /// <summary><c>registry/repository</c>.</summary>
    public string Name => Reference.Registry + "/" + Reference.Repository;

    /// <summary>The annotations of a truthful claim that this image is the base.</summary>
    public Dictionary<string, string> AsBaseClaim() => new()
    {
        ["org.opencontainers.image.base.name"] = Name + ":" + (Reference.Tag ?? "latest"),
        ["org.opencontainers.image.base.digest"] = Digest,
    };
}

/// <summary>
/// Builds OCI images in an <see cref="InMemoryRegistry"/> the way umoci or buildx lay them out: a config blob with
/// <c>rootfs.diff_ids</c> and labels, a manifest naming it with one layer descriptor per diff_id, annotations, and
/// indexes over platform manifests. A layer is named by a word: its diff_id is the sha256 of the word, and its
/// compressed digest depends on <c>compression</c>, so two pushes of the same layers compressed differently have
/// different layer digests but the same diff_ids (as after a recompression).
/// </summary>
public sealed class LineageImages(InMemoryRegistry registry)
{
    /// <summary>The diff_id of a layer named <paramref name="layer"/>.</summary>
    public static string DiffId(string layer) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("diff:" + layer)));

    /// <summary>Pushes a platform image.</summary>
    public LineageImage Push(
        string repository,
        IEnumerable<string> layers,
        string? tag = null,
        IDictionary<string, string>? annotations = null,
        IDictionary<string, string>? labels = null,
        OciPlatform? platform = null,
        string compression = "gzip",
        bool docker = false)
    {
        var layerNames = layers.ToList();
        ImageReference repo = ImageReference.Parse(repository);
        platform ??= new OciPlatform("linux", "amd64");
        var config = new JsonObject
        {
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layerNames.Select(l => (JsonNode)DiffId(l)).ToArray()) },
        };
        if (platform.Variant is not null)
        {
            config["variant"] = platform.Variant;
        }

        if (labels is not null)
        {
            config["config"] = new JsonObject { ["Labels"] = Map(labels) };
        }

        string configType = docker ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        OciDescriptor configDescriptor = registry.PushBlobAsync(repo, configType, Encoding.UTF8.GetBytes(config.ToJsonString())).GetAwaiter().GetResult();
        string layerType = docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+" + compression;
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = docker ? "application/vnd.docker.distribution.manifest.v2+json" : "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor(configDescriptor),
            ["layers"] = new JsonArray(layerNames.Select(l => (JsonNode)Descriptor(new OciDescriptor(layerType, Hash(compression + ":" + l), 1000))).ToArray()),
        };
        if (annotations is not null)
        {
            manifest["annotations"] = Map(annotations);
        }

        return PushManifest(repo, manifest, tag, layerNames.Select(DiffId).ToList());
    }

    /// <summary>Pushes an index over <paramref name="manifests"/> (with their platforms) into <paramref name="repository"/>.</summary>
    public LineageImage PushIndex(string repository, IEnumerable<(LineageImage Image, OciPlatform Platform)> manifests, string? tag = null, IDictionary<string, string>? annotations = null)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(manifests.Select(m =>
            {
                JsonObject entry = Descriptor(new OciDescriptor("application/vnd.oci.image.manifest.v1+json", m.Image.Digest, 1));
                entry["platform"] = m.Platform.Variant is null
                    ? new JsonObject { ["os"] = m.Platform.Os, ["architecture"] = m.Platform.Architecture }
                    : new JsonObject { ["os"] = m.Platform.Os, ["architecture"] = m.Platform.Architecture, ["variant"] = m.Platform.Variant };
                return (JsonNode)entry;
            }).ToArray()),
        };
        if (annotations is not null)
        {
            index["annotations"] = Map(annotations);
        }

        return PushManifest(ImageReference.Parse(repository), index, tag, []);
    }

    /// <summary>Pushes raw manifest bytes of <paramref name="mediaType"/> (malformed-input tests).</summary>
    public LineageImage PushRaw(string repository, string mediaType, string json, string? tag = null)
    {
        ImageReference repo = ImageReference.Parse(repository);
        OciDescriptor pushed = registry.PushManifestAsync(repo, mediaType, Encoding.UTF8.GetBytes(json), tag).GetAwaiter().GetResult();
        return new LineageImage(tag is null ? repo.WithDigest(pushed.Digest) : repo.WithTag(tag).WithDigest(pushed.Digest), []);
    }

    /// <summary>Pushes a raw blob (a hand-written config) and returns its descriptor.</summary>
    public OciDescriptor PushBlob(string repository, string mediaType, string content) =>
        registry.PushBlobAsync(ImageReference.Parse(repository), mediaType, Encoding.UTF8.GetBytes(content)).GetAwaiter().GetResult();

    private LineageImage PushManifest(ImageReference repo, JsonObject manifest, string? tag, IReadOnlyList<string> diffIds)
    {
        string mediaType = manifest["mediaType"]!.GetValue<string>();
        OciDescriptor pushed = registry.PushManifestAsync(repo, mediaType, Encoding.UTF8.GetBytes(manifest.ToJsonString()), tag).GetAwaiter().GetResult();
        ImageReference reference = tag is null ? repo.WithDigest(pushed.Digest) : repo.WithTag(tag).WithDigest(pushed.Digest);
        return new LineageImage(reference, diffIds);
    }

    private static JsonObject Descriptor(OciDescriptor d) => new() { ["mediaType"] = d.MediaType, ["digest"] = d.Digest, ["size"] = d.Size };

    private static JsonObject Map(IDictionary<string, string> values) => new(values.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));

    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
