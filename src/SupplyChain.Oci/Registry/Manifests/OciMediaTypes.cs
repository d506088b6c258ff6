namespace SupplyChain.Oci.Registry.Manifests;

/// <summary>The manifest and index media types the client reads and writes (image spec <c>media-types.md</c>, Docker image manifest v2 schema 2).</summary>
public static class OciMediaTypes
{
    /// <summary>OCI image manifest.</summary>
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index.</summary>
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker image manifest v2 schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list (schema 2).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>OCI image config.</summary>
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>The empty descriptor's media type (image spec 1.1: <c>{}</c>, for artifacts without a config).</summary>
    public const string Empty = "application/vnd.oci.empty.v1+json";

    /// <summary>Whether <paramref name="mediaType"/> is one of the four manifest or index types.</summary>
    /// <param name="mediaType">A media type without parameters.</param>
    /// <returns><c>true</c> for an image manifest, index, Docker manifest or manifest list.</returns>
    public static bool IsManifest(string? mediaType) => mediaType is ImageManifest or ImageIndex or DockerManifest or DockerManifestList;

    /// <summary>Whether <paramref name="mediaType"/> is an index (OCI index or Docker manifest list).</summary>
    /// <param name="mediaType">A media type without parameters.</param>
    /// <returns><c>true</c> for an OCI index or a Docker manifest list.</returns>
    public static bool IsIndex(string? mediaType) => mediaType is ImageIndex or DockerManifestList;

    /// <summary>The Accept header value for manifests: all four types.</summary>
    internal const string ManifestAccept = ImageManifest + ", " + ImageIndex + ", " + DockerManifest + ", " + DockerManifestList;
}
