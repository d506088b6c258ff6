using System.Text.Json;

namespace SupplyChain.Oci.Registry.Manifests;

/// <summary>Reads manifest and index JSON into <see cref="ManifestJson"/> and decides which of the four media types it is.</summary>
internal static class ManifestReader
{
    public static ManifestJson Deserialize(ReadOnlySpan<byte> json)
    {
        if (json.Length > Limits.MaxManifestBytes)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{json.Length} bytes, manifest limit {Limits.MaxManifestBytes}");
        }

        try
        {
            return JsonSerializer.Deserialize(json, RegistryJsonContext.Default.ManifestJson)
                ?? throw OciErrors.ManifestMalformed.ToException("the manifest is JSON null");
        }
        catch (JsonException ex)
        {
            throw OciErrors.ManifestMalformed.ToException("the manifest is not well-formed JSON of the manifest schema", ex);
        }
    }

    /// <summary>
    /// The manifest's media type: its own <c>mediaType</c> field, which must equal <paramref name="contentType"/> when both are
    /// known (image spec: "this field ... when used, this field MUST contain the media type"; distribution spec: the
    /// Content-Type "MUST match the manifest's mediaType"); else the content type; else inferred from the fields.
    /// </summary>
    public static string MediaType(ManifestJson manifest, string? contentType)
    {
        if (manifest.SchemaVersion != 2)
        {
            throw OciErrors.ManifestMalformed.ToException("schemaVersion is not 2");
        }

        string? declared = string.IsNullOrEmpty(manifest.MediaType) ? null : manifest.MediaType;
        if (declared is not null && contentType is not null && declared != contentType)
        {
            throw OciErrors.UnsupportedMediaType.ToException("the Content-Type and the manifest's mediaType differ", null, Transport.RegistryResponses.Remote($"Content-Type {contentType}, mediaType {declared}"));
        }

        string mediaType = declared ?? contentType ?? (manifest.Manifests is not null ? OciMediaTypes.ImageIndex : OciMediaTypes.ImageManifest);
        if (!OciMediaTypes.IsManifest(mediaType))
        {
            throw OciErrors.UnsupportedMediaType.ToException("the media type is not an OCI or Docker manifest or index", null, Transport.RegistryResponses.Remote(mediaType));
        }

        return mediaType;
    }

    /// <summary>A media type for a message, shortened.</summary>
    public static string Quote(string text) => text.Length <= 128 ? text : text[..128] + "...";
}
