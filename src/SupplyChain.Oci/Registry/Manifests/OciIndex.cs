using System.Text.Json;

namespace SupplyChain.Oci.Registry.Manifests;

/// <summary>An OCI image index or Docker manifest list (image spec <c>image-index.md</c>): descriptors of manifests, with platforms.</summary>
public sealed class OciIndex
{
    private OciIndex(string mediaType, string? artifactType, IReadOnlyList<OciDescriptor> manifests, OciDescriptor? subject, IReadOnlyDictionary<string, string>? annotations)
    {
        MediaType = mediaType;
        ArtifactType = artifactType;
        Manifests = manifests;
        Subject = subject;
        Annotations = annotations;
    }

    /// <summary>The index's media type (OCI index or Docker manifest list).</summary>
    public string MediaType { get; }

    /// <summary>The artifact type, or <c>null</c>.</summary>
    public string? ArtifactType { get; }

    /// <summary>The manifests it lists, with their platforms, artifact types and annotations.</summary>
    public IReadOnlyList<OciDescriptor> Manifests { get; }

    /// <summary>The manifest this index refers to, or <c>null</c>.</summary>
    public OciDescriptor? Subject { get; }

    /// <summary>The index's annotations, or <c>null</c>.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; }

    /// <summary>Parses an index; throws <c>SC4012</c> (malformed), <c>SC4008</c> (not an index type, or inconsistent) or <c>SC4007</c> (over the limits).</summary>
    /// <param name="json">The index's bytes.</param>
    /// <param name="contentType">The media type the registry (or the caller) says it has, or <c>null</c>.</param>
    /// <returns>The index.</returns>
    public static OciIndex Parse(ReadOnlySpan<byte> json, string? contentType = null)
    {
        ManifestJson dto = ManifestReader.Deserialize(json);
        string mediaType = ManifestReader.MediaType(dto, contentType);
        if (!OciMediaTypes.IsIndex(mediaType))
        {
            throw OciErrors.UnsupportedMediaType.ToException($"{mediaType} is a manifest, not an index");
        }

        return new OciIndex(
            mediaType,
            string.IsNullOrEmpty(dto.ArtifactType) ? null : dto.ArtifactType,
            DescriptorMapping.ReadAll(dto.Manifests, "manifests", Limits.MaxReferrers),
            dto.Subject is null ? null : DescriptorMapping.Read(dto.Subject, "subject"),
            DescriptorMapping.Annotations(dto.Annotations));
    }

    /// <summary>Builds an OCI image index.</summary>
    /// <param name="manifests">The manifests it lists.</param>
    /// <param name="annotations">Annotations, or <c>null</c>.</param>
    /// <returns>The index; <see cref="ToJson"/> gives its bytes.</returns>
    public static OciIndex Create(IReadOnlyList<OciDescriptor> manifests, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        return new OciIndex(OciMediaTypes.ImageIndex, null, manifests, null, annotations);
    }

    /// <summary>Serializes the index compactly.</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new ManifestJson
        {
            SchemaVersion = 2,
            MediaType = MediaType,
            ArtifactType = ArtifactType,
            Manifests = Manifests.Select(DescriptorMapping.Write).ToList(),
            Subject = Subject is null ? null : DescriptorMapping.Write(Subject),
            Annotations = Annotations is null ? null : new Dictionary<string, string>(Annotations, StringComparer.Ordinal),
        },
        RegistryJsonContext.Default.ManifestJson);
}
