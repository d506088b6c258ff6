using System.Text.Json;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Lineage;

/// <summary>The parts of an image manifest a lineage walk needs (image-spec <c>manifest.md</c>).</summary>
internal sealed record ImageManifestDocument(OciDescriptor Config, int LayerCount, IReadOnlyDictionary<string, string> Annotations);

/// <summary>The parts of an image config a lineage walk needs (image-spec <c>config.md</c>).</summary>
internal sealed record ImageConfigDocument(IReadOnlyList<string> DiffIds, OciPlatform Platform, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Reads manifests and indexes with the registry client's parsers (SC4007, SC4008, SC4012), after a preflight that
/// refuses duplicate JSON keys (two <c>base.digest</c> annotations must not let two parsers see two claims), and
/// parses image configs fail-closed (SC4607).
/// </summary>
internal static class ImageDocuments
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static ImageManifestDocument ParseManifest(FetchedManifest fetched)
    {
        _ = LineageJson.ParseObject(fetched.Content, Limits.MaxManifestBytes, "manifest");
        OciManifest manifest = OciManifest.Parse(fetched.Content.Span, fetched.Descriptor.MediaType);
        if (!ImageMediaTypes.IsImageConfig(manifest.Config.MediaType))
        {
            // image-spec manifest.md: an artifact's config has another media type; it is not an image and has no rootfs.
            throw OciErrors.LineageImageMalformed.ToException($"manifest config media type '{manifest.Config.MediaType}' is not an image config");
        }

        if (manifest.Layers.Count > Limits.MaxLayers)
        {
            throw OciErrors.LineageImageMalformed.ToException($"the manifest has more than {Limits.MaxLayers} layers");
        }

        return new ImageManifestDocument(manifest.Config, manifest.Layers.Count, manifest.Annotations ?? None);
    }

    public static OciIndex ParseIndex(FetchedManifest fetched)
    {
        _ = LineageJson.ParseObject(fetched.Content, Limits.MaxManifestBytes, "index");
        return OciIndex.Parse(fetched.Content.Span, fetched.Descriptor.MediaType);
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
            string? value = diffId.ValueKind == JsonValueKind.String ? LineageJson.Decode(diffId, "image config: a diff_id") : null;
            diffIds.Add(OciDigest.IsValid(value)
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
}
