using System.Collections.ObjectModel;

namespace SupplyChain.Oci.Registry.Manifests;

/// <summary>Converts descriptors between their JSON form and <see cref="OciDescriptor"/>, checking every field (image spec <c>descriptor.md</c>).</summary>
internal static class DescriptorMapping
{
    /// <summary>Reads a descriptor: "mediaType ... MUST", "digest ... MUST", "size ... MUST" be present; the digest must be a registered algorithm.</summary>
    public static OciDescriptor Read(DescriptorJson? json, string what)
    {
        if (json is null)
        {
            throw OciErrors.ManifestMalformed.ToException($"{what} is missing");
        }

        if (string.IsNullOrEmpty(json.MediaType) || !OciDigest.IsValid(json.Digest) || json.Size is not >= 0)
        {
            throw OciErrors.ManifestMalformed.ToException($"{what} lacks a mediaType, a sha256/sha512 digest or a non-negative size");
        }

        OciPlatform? platform = null;
        if (json.Platform is { } p)
        {
            if (string.IsNullOrEmpty(p.Os) || string.IsNullOrEmpty(p.Architecture))
            {
                throw OciErrors.ManifestMalformed.ToException($"{what}'s platform lacks os or architecture");
            }

            platform = new OciPlatform(p.Os, p.Architecture, string.IsNullOrEmpty(p.Variant) ? null : p.Variant);
        }

        return new OciDescriptor(json.MediaType, json.Digest!, json.Size.Value)
        {
            ArtifactType = string.IsNullOrEmpty(json.ArtifactType) ? null : json.ArtifactType,
            Annotations = Annotations(json.Annotations),
            Platform = platform,
        };
    }

    public static IReadOnlyList<OciDescriptor> ReadAll(List<DescriptorJson>? list, string what, int max)
    {
        if (list is null)
        {
            throw OciErrors.ManifestMalformed.ToException($"{what} is missing");
        }

        if (list.Count > max)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{what}: {list.Count} entries, limit {max}");
        }

        var result = new OciDescriptor[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            result[i] = Read(list[i], $"{what}[{i}]");
        }

        return result;
    }

    public static IReadOnlyDictionary<string, string>? Annotations(Dictionary<string, string>? annotations) =>
        annotations is null ? null : new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(annotations, StringComparer.Ordinal));

    public static DescriptorJson Write(OciDescriptor descriptor) => new()
    {
        MediaType = descriptor.MediaType,
        Digest = descriptor.Digest,
        Size = descriptor.Size,
        ArtifactType = descriptor.ArtifactType,
        Annotations = descriptor.Annotations is null ? null : new Dictionary<string, string>(descriptor.Annotations, StringComparer.Ordinal),
        Platform = descriptor.Platform is { } p ? new PlatformJson { Os = p.Os, Architecture = p.Architecture, Variant = p.Variant } : null,
    };
}
