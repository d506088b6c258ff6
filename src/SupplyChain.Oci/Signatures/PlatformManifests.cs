using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Signatures;

/// <summary>The platform manifests of an image index (OCI image-spec <c>image-index.md</c>, Docker manifest list).</summary>
public static class PlatformManifests
{
    /// <summary>Whether <paramref name="manifest"/> is an index (or manifest list).</summary>
    /// <param name="manifest">A fetched manifest.</param>
    /// <returns><c>true</c> for an index.</returns>
    public static bool IsIndex(FetchedManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ManifestDocument.Parse(manifest.Content, manifest.Descriptor.MediaType).IsIndex;
    }

    /// <summary>The manifests an index lists (empty for an image manifest).</summary>
    /// <param name="manifest">A fetched manifest.</param>
    /// <returns>The child descriptors, with their platforms.</returns>
    public static IReadOnlyList<OciDescriptor> List(FetchedManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ManifestDocument.Parse(manifest.Content, manifest.Descriptor.MediaType).Manifests;
    }

    /// <summary>The index's manifest for <paramref name="platform"/> (os, architecture, and variant when given); SC4410 when none or not an index.</summary>
    /// <param name="index">A fetched index.</param>
    /// <param name="platform">The platform.</param>
    /// <returns>The platform manifest's descriptor.</returns>
    public static OciDescriptor Find(FetchedManifest index, OciPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(platform);
        ManifestDocument document = ManifestDocument.Parse(index.Content, index.Descriptor.MediaType);
        if (!document.IsIndex)
        {
            throw OciErrors.PlatformNotFound.ToException($"{index.Descriptor.Digest} is not an index");
        }

        return document.Manifests.FirstOrDefault(m => m.Platform is { } p && p.Os == platform.Os && p.Architecture == platform.Architecture && (platform.Variant is null || p.Variant == platform.Variant))
            ?? throw OciErrors.PlatformNotFound.ToException($"{index.Descriptor.Digest} has no {platform.Os}/{platform.Architecture}{(platform.Variant is null ? "" : "/" + platform.Variant)} manifest");
    }

    /// <summary>Parses <c>os/arch[/variant]</c> (SC4410 when malformed).</summary>
    /// <param name="text">The platform text, such as <c>linux/arm64</c>.</param>
    /// <returns>The platform.</returns>
    public static OciPlatform ParsePlatform(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        return parts.Length is 2 or 3 && parts.All(p => p.Length is > 0 and < 64)
            ? new OciPlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null)
            : throw OciErrors.PlatformNotFound.ToException($"'{text}' is not os/architecture[/variant]");
    }
}
