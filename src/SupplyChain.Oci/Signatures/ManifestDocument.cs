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
        ManifestJson root;
        try
        {
            // The registry client's manifest DTO (the union of the image manifest and index schemas): a member of the
            // wrong JSON type (a numeric digest, a string size, a non-string annotation) or a null descriptor member
            // (NonNullDescriptorConverter) is malformed, never skipped.
            root = JsonSerializer.Deserialize(json.Span, RegistryJsonContext.Default.ManifestJson)
                ?? throw OciErrors.SignatureManifestMalformed.ToException("the manifest is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw OciErrors.SignatureManifestMalformed.ToException(ex.Message, ex);
        }

        string? mediaType = root.MediaType ?? mediaTypeHint;
        ManifestEntry? config = root.Config is { } c ? Entry(c, "config") : null;
        var layers = new List<ManifestEntry>();
        foreach (DescriptorJson? layer in root.Layers ?? [])
        {
            layers.Add(Entry(layer, "layers[]"));
        }

        var manifests = new List<OciDescriptor>();
        if (root.Manifests is { } listed)
        {
            foreach (DescriptorJson? manifest in listed)
            {
                manifests.Add(Entry(manifest, "manifests[]").Descriptor);
            }

            mediaType ??= OciMediaTypes.ImageIndex;
        }

        OciDescriptor? subject = root.Subject is { } s ? Entry(s, "subject").Descriptor : null;
        return new ManifestDocument(mediaType, root.ArtifactType, config, layers, subject, CheckedAnnotations(root.Annotations, "annotations"), manifests);
    }

    /// <summary>
    /// image-spec annotations.md: "values MUST be strings". The deserializer lets a JSON null into a
    /// <c>Dictionary&lt;string, string&gt;</c>; it is malformed here as any other non-string value.
    /// </summary>
    private static Dictionary<string, string>? CheckedAnnotations(Dictionary<string, string>? annotations, string name)
    {
        if (annotations is null)
        {
            return null;
        }

        foreach (KeyValuePair<string, string> pair in annotations)
        {
            if (pair.Value is null)
            {
                throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' value of '{pair.Key}' is not a string");
            }
        }

        return annotations;
    }

    private static ManifestEntry Entry(DescriptorJson? element, string name)
    {
        if (element is null)
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' is not a descriptor object");
        }

        string mediaType = element.MediaType ?? throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' has no mediaType");
        string digest = element.Digest ?? throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' has no digest");
        if (!Digests.IsSha256(digest))
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' digest is not sha256:<64 hex>");
        }

        if (element.Size is not { } size || size < 0)
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"'{name}' has no valid size");
        }

        OciPlatform? platform = element.Platform is { } p ? new OciPlatform(p.Os ?? "", p.Architecture ?? "", p.Variant) : null;
        byte[]? data = null;
        if (element.Data is { } encoded)
        {
            // image-spec descriptor.md: "data ... MUST be verified against the digest and size fields".
            data = Base64(encoded) ?? throw OciErrors.SignatureManifestMalformed.ToException($"'{name}.data' is not base64");
            if (data.Length != size || !Digests.Matches(digest, data))
            {
                throw OciErrors.SignatureManifestMalformed.ToException($"'{name}.data' does not match its digest and size");
            }
        }

        var descriptor = new OciDescriptor(mediaType, digest, size)
        {
            ArtifactType = element.ArtifactType,
            Annotations = CheckedAnnotations(element.Annotations, name + ".annotations"),
            Platform = platform,
        };
        return new ManifestEntry(descriptor, data);
    }

    private static byte[]? Base64(string text)
    {
        byte[] buffer = new byte[((text.Length + 3) / 4) * 3];
        return Convert.TryFromBase64String(text, buffer, out int written) ? buffer.AsSpan(0, written).ToArray() : null;
    }
}
