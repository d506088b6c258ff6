using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// Reads one platform image through <see cref="IOciRegistry"/>: the manifest (an index is resolved to a platform),
/// then its config blob. The client checks every digest; this class checks them again, so that a faulty
/// <see cref="IOciRegistry"/> implementation cannot feed a walk unchecked content.
/// </summary>
internal sealed class ImageResolver(IOciRegistry registry)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>Reads <paramref name="reference"/>; <c>null</c> when the registry says it does not exist.</summary>
    public async Task<ResolvedImage?> TryResolveAsync(ImageReference reference, OciPlatform platform, CancellationToken cancellationToken)
    {
        FetchedManifest? fetched = await registry.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (fetched is null)
        {
            return null;
        }

        CheckManifestDigest(reference, fetched);
        if (!OciMediaTypes.IsIndex(fetched.Descriptor.MediaType))
        {
            return await ResolveManifestAsync(reference, fetched, null, None, cancellationToken).ConfigureAwait(false);
        }

        OciIndex index = ImageDocuments.ParseIndex(fetched);
        OciDescriptor entry = SelectPlatform(index, platform, fetched.Descriptor.Digest);
        return await ResolveEntryAsync(reference, fetched.Descriptor.Digest, index.Annotations ?? None, entry.Digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the manifest <paramref name="reference"/> names, once, and classifies an index's entries (SC4610 when it does not exist).</summary>
    public async Task<ImageTop> OpenAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        FetchedManifest fetched = await registry.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw OciErrors.LineageImageMissing.ToException(reference.ToString());
        CheckManifestDigest(reference, fetched);
        ImageReference at = reference.WithDigest(fetched.Descriptor.Digest);
        if (!OciMediaTypes.IsIndex(fetched.Descriptor.MediaType))
        {
            return new ImageTop(at, fetched, None, []);
        }

        OciIndex index = ImageDocuments.ParseIndex(fetched);
        return new ImageTop(at, fetched, index.Annotations ?? None, index.Manifests.Select(Classify).ToList());
    }

    /// <summary>Reads the platform image of <paramref name="top"/>: the manifest itself, or the index entry <paramref name="entry"/>.</summary>
    public Task<ResolvedImage> ResolveAsync(ImageTop top, IndexEntry? entry, CancellationToken cancellationToken)
    {
        if (entry is null)
        {
            return top.IsIndex
                ? throw OciErrors.LineagePlatformNotFound.ToException($"{top.Digest} is an index: name one of its platforms")
                : ResolveManifestAsync(top.Reference, top.Fetched, null, None, cancellationToken);
        }

        return ResolveEntryAsync(top.Reference, top.Digest, top.Annotations, entry.Digest, cancellationToken);
    }

    private async Task<ResolvedImage> ResolveEntryAsync(ImageReference reference, string indexDigest, IReadOnlyDictionary<string, string> indexAnnotations, string entryDigest, CancellationToken cancellationToken)
    {
        ImageReference platformReference = reference.WithDigest(entryDigest);
        FetchedManifest fetched = await registry.TryGetManifestAsync(platformReference, cancellationToken).ConfigureAwait(false)
            ?? throw OciErrors.LineagePlatformNotFound.ToException($"index {indexDigest} names {entryDigest}, which the registry does not have");
        CheckManifestDigest(platformReference, fetched);
        return await ResolveManifestAsync(reference, fetched, indexDigest, indexAnnotations, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ResolvedImage> ResolveManifestAsync(ImageReference reference, FetchedManifest fetched, string? indexDigest, IReadOnlyDictionary<string, string> indexAnnotations, CancellationToken cancellationToken)
    {
        ImageManifestDocument manifest = ImageDocuments.ParseManifest(fetched);
        if (manifest.Config.Size > Limits.MaxConfigBytes)
        {
            throw OciErrors.LineageImageMalformed.ToException($"image config is larger than {Limits.MaxConfigBytes} bytes");
        }

        ReadOnlyMemory<byte> configBytes = await registry.GetBlobAsync(reference, manifest.Config, cancellationToken).ConfigureAwait(false);
        Verify(manifest.Config.Digest, configBytes.Span, "image config");
        ImageConfigDocument config = ImageDocuments.ParseConfig(configBytes);

        // image-spec config.md: diff_ids correspond to the manifest's layers, one each, in order.
        if (config.DiffIds.Count != manifest.LayerCount)
        {
            throw OciErrors.LineageImageMalformed.ToException($"the manifest has {manifest.LayerCount} layers but the config {config.DiffIds.Count} diff_ids");
        }

        return new ResolvedImage(reference.WithDigest(fetched.Descriptor.Digest), indexDigest, manifest, indexAnnotations, config);
    }

    /// <summary>
    /// image-spec image-index.md: an entry's platform says which node can run it. BuildKit lists its attestation
    /// manifests with platform <c>unknown/unknown</c>; those, entries without a platform and non-image media types are
    /// never run. A nested index is not followed (fail closed: the caller denies it).
    /// </summary>
    private static IndexEntry Classify(OciDescriptor entry)
    {
        IndexEntryKind kind = OciMediaTypes.IsIndex(entry.MediaType) ? IndexEntryKind.NestedIndex
            : entry.MediaType is not (OciMediaTypes.ImageManifest or OciMediaTypes.DockerManifest) ? IndexEntryKind.NotRunnable
            : entry.Platform is not { } p || (p.Os == "unknown" && p.Architecture == "unknown") ? IndexEntryKind.NotRunnable
            : IndexEntryKind.Image;
        return new IndexEntry(entry.Digest, entry.MediaType, entry.Platform, kind);
    }

    private static void CheckManifestDigest(ImageReference reference, FetchedManifest fetched)
    {
        if (reference.Digest is not null && reference.Digest != fetched.Descriptor.Digest)
        {
            throw OciErrors.LineageDigestMismatch.ToException($"asked for {reference.Digest}, the registry answered {fetched.Descriptor.Digest}");
        }

        Verify(fetched.Descriptor.Digest, fetched.Content.Span, "manifest");
    }

    private static void Verify(string digest, ReadOnlySpan<byte> content, string what)
    {
        if (!OciDigest.IsValid(digest) || !OciDigest.Matches(digest, content))
        {
            throw OciErrors.LineageDigestMismatch.ToException($"{what}: the content does not hash to {digest}");
        }
    }

    /// <summary>
    /// image-spec image-index.md: platform.os and platform.architecture select the manifest; a variant, when asked
    /// for, must match. When none is asked for and no entry lacks one, any variant of the architecture will do, but
    /// only when exactly one entry fits (no guessing between v7 and v8).
    /// </summary>
    private static OciDescriptor SelectPlatform(OciIndex index, OciPlatform platform, string indexDigest)
    {
        var candidates = index.Manifests
            .Where(e => e.MediaType is (OciMediaTypes.ImageManifest or OciMediaTypes.DockerManifest) && e.Platform is { } p && p.Os == platform.Os && p.Architecture == platform.Architecture)
            .ToList();
        var exact = candidates.Where(e => e.Platform!.Variant == platform.Variant).ToList();
        if (exact.Count >= 1)
        {
            return exact[0];
        }

        if (platform.Variant is null && candidates.Count == 1)
        {
            return candidates[0];
        }

        string wanted = platform.Os + "/" + platform.Architecture + (platform.Variant is null ? "" : "/" + platform.Variant);
        throw OciErrors.LineagePlatformNotFound.ToException($"index {indexDigest} has no image manifest for {wanted}");
    }
}
