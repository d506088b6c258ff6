using SupplyChain.Core.Errors;
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
        LineageJson.CheckObject(fetched.Content, Limits.MaxManifestBytes, "manifest");
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
        LineageJson.CheckObject(fetched.Content, Limits.MaxManifestBytes, "index");
        return OciIndex.Parse(fetched.Content.Span, fetched.Descriptor.MediaType);
    }

    public static ImageConfigDocument ParseConfig(ReadOnlyMemory<byte> content)
    {
        const string What = "image config";
        LineageJson.CheckObject(content, Limits.MaxConfigBytes, What);
        ImageConfigJson root = LineageJson.Read(content, LineageJsonContext.Default.ImageConfigJson, What);

        // image-spec config.md: rootfs.type "MUST be set to layers"; diff_ids are "in order from first to last".
        ImageRootFsJson rootfs = root.RootFs ?? throw OciErrors.LineageImageMalformed.ToException("image config: 'rootfs' is missing");
        if ((rootfs.Type ?? throw Missing("rootfs.type")) != "layers")
        {
            throw OciErrors.LineageImageMalformed.ToException("image config: rootfs.type must be 'layers'");
        }

        List<string?> listed = rootfs.DiffIds ?? throw OciErrors.LineageImageMalformed.ToException("image config: 'diff_ids' must be an array");
        if (listed.Count > Limits.MaxLayers)
        {
            throw OciErrors.LineageImageMalformed.ToException($"image config: 'diff_ids' has more than {Limits.MaxLayers} entries");
        }

        var diffIds = new List<string>();
        foreach (string? value in listed)
        {
            diffIds.Add(OciDigest.IsValid(value)
                ? value!
                : throw OciErrors.LineageImageMalformed.ToException("image config: a diff_id is not a sha256 or sha512 digest"));
        }

        var platform = new OciPlatform(root.Os ?? throw Missing("os"), root.Architecture ?? throw Missing("architecture"), root.Variant);
        IReadOnlyDictionary<string, string> labels = root.Config?.Labels ?? new Dictionary<string, string>();

        // A label is a string (image-spec config.md: "Labels ... map[string]string"); the deserializer lets a JSON null
        // into the map, and a null base-image label must not read as an absent claim.
        foreach (KeyValuePair<string, string> label in labels)
        {
            if (label.Value is null)
            {
                throw OciErrors.LineageImageMalformed.ToException($"image config: 'Labels.{label.Key}' must be a string");
            }
        }
        return new ImageConfigDocument(diffIds, platform, labels);
    }

    private static SupplyChainException Missing(string name) =>
        OciErrors.LineageImageMalformed.ToException($"image config: '{name}' must be a string");
}
