using System.Text.Json;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Signatures;

/// <summary>A descriptor in a manifest, with the content it embeds in <c>data</c> (image-spec 1.1 <c>descriptor.md</c>), if any.</summary>
/// <param name="Descriptor">The descriptor.</param>
/// <param name="Data">The embedded content, already checked against the digest and size, or <c>null</c>.</param>
internal sealed record ManifestEntry(OciDescriptor Descriptor, byte[]? Data);

/// <summary>
/// The parts of an OCI image manifest or index (or their Docker equivalents) that signatures need: config, layers,
/// subject, annotations, or the index's manifests. Parsed fail-closed: a descriptor without media type, digest or size is SC4404.
/// </summary>
internal sealed class ManifestDocument
{
    private ManifestDocument(string? mediaType, string? artifactType, ManifestEntry? config, IReadOnlyList<ManifestEntry> layers, OciDescriptor? subject, IReadOnlyDictionary<string, string>? annotations, IReadOnlyList<OciDescriptor> manifests)
    {
        MediaType = mediaType;
        ArtifactType = artifactType;
        Config = config;
        Layers = layers;
        Subject = subject;
        Annotations = annotations;
        Manifests = manifests;
    }

    public string? MediaType { get; }

    public string? ArtifactType { get; }

    public ManifestEntry? Config { get; }

    public IReadOnlyList<ManifestEntry> Layers { get; }

    public OciDescriptor? Subject { get; }

    public IReadOnlyDictionary<string, string>? Annotations { get; }

    /// <summary>An index's manifests (empty for an image manifest).</summary>
    public IReadOnlyList<OciDescriptor> Manifests { get; }

    /// <summary>Whether the document is an index (OCI or Docker manifest list).</summary>
    public bool IsIndex => MediaType is OciMediaTypes.ImageIndex or OciMediaTypes.DockerManifestList;

    public static ManifestDocument Parse(ReadOnlyMemory<byte> json, string? mediaTypeHint = null)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw OciErrors.SignatureManifestMalformed.ToException("the manifest is not a JSON object");
            }

            string? mediaType = OptionalString(root, "mediaType") ?? mediaTypeHint;
            ManifestEntry? config = root.TryGetProperty("config", out JsonElement c) ? Entry(c, "config") : null;
            var layers = new List<ManifestEntry>();
            if (root.TryGetProperty("layers", out JsonElement l))
            {
                foreach (JsonElement layer in Array(l, "layers"))
                {
                    layers.Add(Entry(layer, "layers[]"));
                }
            }

            var manifests = new List<OciDescriptor>();
            if (root.TryGetProperty("manifests", out JsonElement m))
            {
                foreach (JsonElement manifest in Array(m, "manifests"))
                {
                    manifests.Add(Entry(manifest, "manifests[]").Descriptor);
                }

                mediaType ??= OciMediaTypes.ImageIndex;
            }

            OciDescriptor? subject = root.TryGetProperty("subject", out JsonElement s) ? Entry(s, "subject").Descriptor : null;
            return new ManifestDocument(mediaType, OptionalString(root, "artifactType"), config, layers, subject, ReadAnnotations(root), manifests);
        }
        catch (JsonException ex)
        {
            throw OciErrors.SignatureManifestMalformed.ToException(ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw OciErrors.SignatureManifestMalformed.ToException(ex.Message, ex);
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' is not an array");

    private static ManifestEntry Entry(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' is not a descriptor object");
        }

        string mediaType = OptionalString(element, "mediaType") ?? throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' has no mediaType");
        string digest = OptionalString(element, "digest") ?? throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' has no digest");
        if (!Digests.IsSha256(digest))
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' digest is not sha256:<64 hex>");
        }

        if (!element.TryGetProperty("size", out JsonElement sizeElement) || !sizeElement.TryGetInt64(out long size) || size < 0)
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' has no valid size");
        }

        OciPlatform? platform = null;
        if (element.TryGetProperty("platform", out JsonElement p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new OciPlatform(OptionalString(p, "os") ?? "", OptionalString(p, "architecture") ?? "", OptionalString(p, "variant"));
        }

        byte[]? data = null;
        if (element.TryGetProperty("data", out JsonElement d))
        {
            // image-spec descriptor.md: "data ... MUST be verified against the digest and size fields".
            data = d.ValueKind == JsonValueKind.String && d.TryGetBytesFromBase64(out byte[]? bytes) ? bytes : throw OciErrors.SignatureManifestMalformed.ToException($"'{name}.data' is not base64");
            if (data.Length != size || !Digests.Matches(digest, data))
            {
                throw OciErrors.SignatureManifestMalformed.ToException($"'{name}.data' does not match its digest and size");
            }
        }

        var descriptor = new OciDescriptor(mediaType, digest, size)
        {
            ArtifactType = OptionalString(element, "artifactType"),
            Annotations = ReadAnnotations(element),
            Platform = platform,
        };
        return new ManifestEntry(descriptor, data);
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out JsonElement a) || a.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (a.ValueKind != JsonValueKind.Object)
        {
            throw OciErrors.SignatureManifestMalformed.ToException("'annotations' is not an object");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in a.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : throw OciErrors.SignatureManifestMalformed.ToException($"annotation '{property.Name}' is not a string");
        }

        return result;
    }

    private static string? OptionalString(JsonElement element, string name) =>
        !element.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' is not a string");
}
