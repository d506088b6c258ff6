using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Copy;

/// <summary>What one <see cref="ImageCopier.CopyAsync"/> carried.</summary>
public sealed class ImageCopyResult
{
    internal ImageCopyResult(ImageReference destination)
    {
        Destination = destination;
    }

    /// <summary>The destination, at the copied digest (the source's: digests are preserved).</summary>
    public ImageReference Destination { get; internal set; }

    /// <summary>Manifests and indexes written (images, platforms, referrers, legacy signature manifests).</summary>
    public int Manifests { get; internal set; }

    /// <summary>Blobs read from the source and written (a blob the destination has is skipped by the destination).</summary>
    public int Blobs { get; internal set; }

    /// <summary>OCI 1.1 referrers carried (signatures, attestations, SBOMs), at any depth.</summary>
    public int Referrers { get; internal set; }

    /// <summary>Legacy cosign tags carried (<c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c>, <c>.sbom</c>).</summary>
    public int LegacyTags { get; internal set; }

    /// <summary>Base images copied with <c>lineage</c>: each to where its claim, read from the destination, names it.</summary>
    public IList<ImageReference> Ancestors { get; } = [];

    /// <summary>Base images left where they are: their claims name an absolute location (a registry, an absolute layout path), the same from the destination.</summary>
    public IList<ImageReference> AncestorsInPlace { get; } = [];
}
