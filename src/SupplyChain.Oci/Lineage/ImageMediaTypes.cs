using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Lineage;

/// <summary>The config media types a lineage walk accepts: an image's, not an artifact's (image-spec <c>manifest.md</c>, Docker image manifest v2 schema 2).</summary>
internal static class ImageMediaTypes
{
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    public static bool IsImageConfig(string mediaType) => mediaType is OciMediaTypes.ImageConfig or DockerConfig;
}
