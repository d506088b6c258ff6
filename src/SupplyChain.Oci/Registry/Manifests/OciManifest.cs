using System.Text.Json;

namespace SupplyChain.Oci.Registry.Manifests;

/// <summary>An OCI image manifest or Docker v2 schema 2 manifest (image spec <c>manifest.md</c>): a config, layers, and optionally a subject and artifact type.</summary>
public sealed class OciManifest
{
    private OciManifest(string mediaType, string? artifactType, OciDescriptor config, IReadOnlyList<OciDescriptor> layers, OciDescriptor? subject, IReadOnlyDictionary<string, string>? annotations)
    {
        MediaType = mediaType;
        ArtifactType = artifactType;
        Config = config;
        Layers = layers;
        Subject = subject;
        Annotations = annotations;
    }

    /// <summary>The manifest's media type (OCI image manifest or Docker manifest).</summary>
    public string MediaType { get; }

    /// <summary>The artifact type, or <c>null</c>.</summary>
    public string? ArtifactType { get; }

    /// <summary>The config descriptor.</summary>
    public OciDescriptor Config { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<OciDescriptor> Layers { get; }

    /// <summary>The manifest this one refers to, or <c>null</c>.</summary>
    public OciDescriptor? Subject { get; }

    /// <summary>The manifest's annotations, or <c>null</c>.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; }

    /// <summary>
    /// The artifact type a referrers listing reports for it (distribution spec 1.1: "the artifactType field ... or the
    /// config descriptor's mediaType when artifactType is not set").
    /// </summary>
    public string EffectiveArtifactType => ArtifactType ?? Config.MediaType;

    /// <summary>Parses a manifest; throws <c>SC4012</c> (malformed), <c>SC4008</c> (not a manifest type, or inconsistent) or <c>SC4007</c> (over 4 MiB).</summary>
    /// <param name="json">The manifest's bytes.</param>
    /// <param name="contentType">The media type the registry (or the caller) says it has, or <c>null</c> to rely on the manifest's own <c>mediaType</c>.</param>
    /// <returns>The manifest.</returns>
    public static OciManifest Parse(ReadOnlySpan<byte> json, string? contentType = null)
    {
        ManifestJson dto = ManifestReader.Deserialize(json);
        string mediaType = ManifestReader.MediaType(dto, contentType);
        if (OciMediaTypes.IsIndex(mediaType))
        {
            throw OciErrors.UnsupportedMediaType.ToException($"{mediaType} is an index, not a manifest");
        }

        return new OciManifest(
            mediaType,
            string.IsNullOrEmpty(dto.ArtifactType) ? null : dto.ArtifactType,
            DescriptorMapping.Read(dto.Config, "config"),
            DescriptorMapping.ReadAll(dto.Layers ?? [], "layers", Limits.MaxReferrers),
            dto.Subject is null ? null : DescriptorMapping.Read(dto.Subject, "subject"),
            DescriptorMapping.Annotations(dto.Annotations));
    }

    /// <summary>Builds an OCI image manifest (for artifacts: set <paramref name="artifactType"/> and use the empty config).</summary>
    /// <param name="config">The config descriptor.</param>
    /// <param name="layers">The layers.</param>
    /// <param name="artifactType">The artifact type, or <c>null</c>.</param>
    /// <param name="subject">The subject, or <c>null</c>.</param>
    /// <param name="annotations">Annotations, or <c>null</c>.</param>
    /// <returns>The manifest; <see cref="ToJson"/> gives its bytes.</returns>
    public static OciManifest Create(OciDescriptor config, IReadOnlyList<OciDescriptor> layers, string? artifactType = null, OciDescriptor? subject = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layers);
        return new OciManifest(OciMediaTypes.ImageManifest, artifactType, config, layers, subject, annotations);
    }

    /// <summary>Serializes the manifest compactly (the bytes whose digest is the manifest's digest once pushed).</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new ManifestJson
        {
            SchemaVersion = 2,
            MediaType = MediaType,
            ArtifactType = ArtifactType,
            Config = DescriptorMapping.Write(Config),
            Layers = Layers.Select(DescriptorMapping.Write).ToList(),
            Subject = Subject is null ? null : DescriptorMapping.Write(Subject),
            Annotations = Annotations is null ? null : new Dictionary<string, string>(Annotations, StringComparer.Ordinal),
        },
        RegistryJsonContext.Default.ManifestJson);
}
