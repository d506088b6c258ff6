namespace SupplyChain.Oci.Registry;

/// <summary>An OCI content descriptor (image-spec <c>descriptor.md</c>): what a manifest, index or referrers list says about a piece of content.</summary>
/// <param name="MediaType">The content's media type.</param>
/// <param name="Digest">The content's digest, <c>algorithm:hex</c>.</param>
/// <param name="Size">The content's size in bytes.</param>
public sealed record OciDescriptor(string MediaType, string Digest, long Size)
{
    /// <summary>The artifact type (manifests of artifacts, and referrers listings), or <c>null</c>.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The descriptor's annotations, or <c>null</c>.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The platform of a manifest in an index, or <c>null</c>.</summary>
    public OciPlatform? Platform { get; init; }
}

/// <summary>The platform a manifest in an index is for (image-spec <c>image-index.md</c>).</summary>
/// <param name="Os">The operating system, such as <c>linux</c>.</param>
/// <param name="Architecture">The CPU architecture, such as <c>amd64</c>.</param>
/// <param name="Variant">The CPU variant, such as <c>v8</c>, or <c>null</c>.</param>
public sealed record OciPlatform(string Os, string Architecture, string? Variant = null);

/// <summary>A manifest read from a registry whose bytes matched its digest.</summary>
/// <param name="Descriptor">Its media type (from the registry's Content-Type, checked against the manifest's own <c>mediaType</c>), digest and size.</param>
/// <param name="Content">Its exact bytes.</param>
public sealed record FetchedManifest(OciDescriptor Descriptor, ReadOnlyMemory<byte> Content);
