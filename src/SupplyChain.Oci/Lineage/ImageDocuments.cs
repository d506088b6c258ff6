using System.Text.Json;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>The parts of an image manifest a lineage walk needs (image-spec <c>manifest.md</c>).</summary>
internal sealed record ImageManifestDocument(OciDescriptor Config, int LayerCount, IReadOnlyDictionary<string, string> Annotations);

/// <summary>One entry of an index (image-spec <c>image-index.md</c>).</summary>
internal sealed record IndexEntry(string MediaType, string Digest, OciPlatform? Platform);

/// <summary>The parts of an index a lineage walk needs.</summary>
internal sealed record ImageIndexDocument(IReadOnlyList<IndexEntry> Manifests, IReadOnlyDictionary<string, string> Annotations);

/// <summary>The parts of an image config a lineage walk needs (image-spec <c>config.md</c>).</summary>
internal sealed record ImageConfigDocument(IReadOnlyList<string> DiffIds, OciPlatform Platform, IReadOnlyDictionary<string, string> Labels);

/// <summary>Parses manifests, indexes and configs fail-closed (SC4607).</summary>
internal static class ImageDocuments
{
    public static ImageManifestDocument ParseManifest(FetchedManifest manifest)
    {
        const string What = "manifest";
        JsonElement root = Parse(manifest, What);
        JsonElement configElement = root.TryGetProperty("config", out JsonElement c) && c.ValueKind == JsonValueKind.Object
            ? c
            : throw OciErrors.LineageImageMalformed.ToException("manifest: 'config' must be an object");
        OciDescriptor config = Descriptor(configElement, "manifest config");
        if (!ImageMediaTypes.IsConfig(config.MediaType))
        {
            // image-spec manifest.md: an artifact's config has another media type; it is not an image and has no rootfs.
            throw OciErrors.LineageImageMalformed.ToException($"manifest config media type '{config.MediaType}' is not an image config");
        }

        List<JsonElement> layers = LineageJson.Array(root, "layers", What, Limits.MaxLayers);
        foreach (JsonElement layer in layers)
        {
            _ = Descriptor(layer, "manifest layer");
        }

        return new ImageManifestDocument(config, layers.Count, LineageJson.StringMap(root, "annotations", What));
    }

    public static ImageIndexDocument ParseIndex(FetchedManifest index)
    {
        const string What = "index";
        JsonElement root = Parse(index, What);
        var entries = new List<IndexEntry>();
        foreach (JsonElement entry in LineageJson.Array(root, "manifests", What, Limits.MaxIndexManifests))
        {
            OciDescriptor descriptor = Descriptor(entry, "index entry");
            OciPlatform? platform = null;
            if (LineageJson.OptionalObject(entry, "platform", "index entry") is { } p)
            {
                platform = new OciPlatform(
                    LineageJson.String(p, "os", "index entry platform"),
                    LineageJson.String(p, "architecture", "index entry platform"),
                    LineageJson.OptionalString(p, "variant", "index entry platform"));
            }

            entries.Add(new IndexEntry(descriptor.MediaType, descriptor.Digest, platform));
        }

        return new ImageIndexDocument(entries, LineageJson.StringMap(root, "annotations", What));
    }

    public static ImageConfigDocument ParseConfig(ReadOnlyMemory<byte> content)
    {
        const string What = "image config";
        JsonElement root = LineageJson.ParseObject(content, Limits.MaxConfigBytes, What);

        // image-spec config.md: rootfs.type "MUST be set to layers"; diff_ids are "in order from first to last".
        JsonElement rootfs = LineageJson.OptionalObject(root, "rootfs", What)
            ?? throw OciErrors.LineageImageMalformed.ToException("image config: 'rootfs' is missing");
        if (LineageJson.String(rootfs, "type", What) != "layers")
        {
            throw OciErrors.LineageImageMalformed.ToException("image config: rootfs.type must be 'layers'");
        }

        var diffIds = new List<string>();
        foreach (JsonElement diffId in LineageJson.Array(rootfs, "diff_ids", What, Limits.MaxLayers))
        {
            string? value = diffId.ValueKind == JsonValueKind.String ? diffId.GetString() : null;
            diffIds.Add(ContentDigest.IsValid(value)
                ? value!
                : throw OciErrors.LineageImageMalformed.ToException("image config: a diff_id is not a sha256 or sha512 digest"));
        }

        var platform = new OciPlatform(
            LineageJson.String(root, "os", What),
            LineageJson.String(root, "architecture", What),
            LineageJson.OptionalString(root, "variant", What));
        IReadOnlyDictionary<string, string> labels = LineageJson.OptionalObject(root, "config", What) is { } execution
            ? LineageJson.StringMap(execution, "Labels", What)
            : new Dictionary<string, string>();
        return new ImageConfigDocument(diffIds, platform, labels);
    }

    private static JsonElement Parse(FetchedManifest manifest, string what)
    {
        JsonElement root = LineageJson.ParseObject(manifest.Content, Limits.MaxManifestBytes, what);

        // image-spec manifest.md / image-index.md: mediaType, when present, must match the Content-Type it was served with.
        string? declared = LineageJson.OptionalString(root, "mediaType", what);
        if (declared is not null && declared != manifest.Descriptor.MediaType)
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what}: mediaType '{declared}' differs from '{manifest.Descriptor.MediaType}'");
        }

        return root;
    }

    private static OciDescriptor Descriptor(JsonElement element, string what)
    {
        string mediaType = LineageJson.String(element, "mediaType", what);
        string digest = LineageJson.String(element, "digest", what);
        if (!ContentDigest.IsValid(digest))
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what}: '{digest}' is not a sha256 or sha512 digest");
        }

        if (!element.TryGetProperty("size", out JsonElement sizeElement) || sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt64(out long size) || size < 0)
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what}: 'size' must be a non-negative integer");
        }

        return new OciDescriptor(mediaType, digest, size);
    }
}
