using SupplyChain.Oci.Layout;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Copy;

/// <summary>
/// Copies an image with everything attached between registries and layouts (<c>signcli copy</c>, as <c>cosign copy</c>
/// and <c>oras cp -r</c>): every platform of an index, the OCI 1.1 referrers of every copied digest (signatures,
/// attestations, SBOMs, and their own referrers), cosign's legacy <c>.sig</c>/<c>.att</c>/<c>.sbom</c> tags, and with
/// <c>lineage</c> the base images the lineage claims. Manifests are written with their exact bytes, so every digest
/// (and so every signature) is preserved. Order for "nothing lost": blobs before the manifest naming them, children
/// before their index, and the destination's tag last, so an interrupted copy never tags an incomplete image; a re-run
/// writes what is missing (the destination skips blobs it has).
/// </summary>
public sealed class ImageCopier
{
    /// <summary>Deepest chain of referrers of referrers followed (a signature on an attestation is depth 2).</summary>
    private const int MaxReferrerDepth = 4;

    private static readonly string[] LegacySuffixes = ["sig", "att", "sbom"];

    private readonly IOciRegistry _registry;

    /// <summary>Copies through <paramref name="registry"/> (an <see cref="OciRegistryRouter"/> to mix registries and layouts).</summary>
    /// <param name="registry">Reads the source and writes the destination.</param>
    public ImageCopier(IOciRegistry registry)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, tagged with the destination's tag (an untagged layout lists it untagged).</summary>
    /// <param name="source">The image, by tag or digest.</param>
    /// <param name="destination">The repository or layout to copy to, with an optional tag (a digest, if given, must be the source's).</param>
    /// <param name="lineage">Also copy the base images the lineage claims (relative layout claims are followed to the same relative place).</param>
    /// <param name="cancellationToken">Cancels the copy (a re-run completes it).</param>
    /// <returns>What was carried.</returns>
    public async Task<ImageCopyResult> CopyAsync(ImageReference source, ImageReference destination, bool lineage = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var result = new ImageCopyResult(destination);
        OciDescriptor top = await _registry.ResolveAsync(source, cancellationToken).ConfigureAwait(false);
        if (destination.Digest is { } wanted && wanted != top.Digest)
        {
            throw OciErrors.CopyIncomplete.ToException($"the destination names {wanted}, the source is {top.Digest}");
        }

        await CopyTreeAsync(source, destination, top, result, 0, cancellationToken).ConfigureAwait(false);
        result.Destination = await TagAsync(source, destination, top, cancellationToken).ConfigureAwait(false);
        if (lineage)
        {
            await CopyLineageAsync(source.WithDigest(top.Digest), result.Destination, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The manifest at <paramref name="descriptor"/>, its children and blobs, its referrers and legacy tags; pushed by digest.</summary>
    private async Task CopyTreeAsync(ImageReference source, ImageReference destination, OciDescriptor descriptor, ImageCopyResult result, int depth, CancellationToken cancellationToken, bool asReferrer = false)
    {
        FetchedManifest manifest = await _registry.TryGetManifestAsync(source.WithDigest(descriptor.Digest), cancellationToken).ConfigureAwait(false)
            ?? throw OciErrors.CopyIncomplete.ToException($"{source.Registry}/{source.Repository}@{descriptor.Digest} is named but missing");
        string mediaType = manifest.Descriptor.MediaType;
        if (OciMediaTypes.IsIndex(mediaType))
        {
            foreach (OciDescriptor child in OciIndex.Parse(manifest.Content.Span, mediaType).Manifests)
            {
                if (OciMediaTypes.IsManifest(child.MediaType))
                {
                    await CopyTreeAsync(source, destination, child, result, depth, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        else
        {
            OciManifest parsed = OciManifest.Parse(manifest.Content.Span, mediaType);
            foreach (OciDescriptor blob in parsed.Layers.Prepend(parsed.Config))
            {
                ReadOnlyMemory<byte> content = await _registry.GetBlobAsync(source, blob, cancellationToken).ConfigureAwait(false);
                await _registry.PushBlobAsync(destination, blob.MediaType, content, cancellationToken).ConfigureAwait(false);
                result.Blobs++;
            }
        }

        if (asReferrer)
        {
            await _registry.PushReferrerAsync(destination, mediaType, manifest.Content, cancellationToken).ConfigureAwait(false);
            result.Referrers++;
        }
        else
        {
            await _registry.PushManifestAsync(destination, mediaType, manifest.Content, null, cancellationToken).ConfigureAwait(false);
        }

        result.Manifests++;
        if (depth < MaxReferrerDepth)
        {
            await CopyAttachedAsync(source, destination, descriptor.Digest, result, depth, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The referrers of <paramref name="digest"/> and its legacy cosign tags.</summary>
    private async Task CopyAttachedAsync(ImageReference source, ImageReference destination, string digest, ImageCopyResult result, int depth, CancellationToken cancellationToken)
    {
        foreach (OciDescriptor referrer in await _registry.ListReferrersAsync(source.WithDigest(digest), null, cancellationToken).ConfigureAwait(false))
        {
            await CopyTreeAsync(source, destination, referrer, result, depth + 1, cancellationToken, asReferrer: true).ConfigureAwait(false);
        }

        foreach (string suffix in LegacySuffixes)
        {
            string tag = OciDigest.ReferrersTag(digest) + "." + suffix;
            FetchedManifest? legacy = await _registry.TryGetManifestAsync(source.WithTag(tag), cancellationToken).ConfigureAwait(false);
            if (legacy is null)
            {
                continue;
            }

            // The legacy manifest and its layers (the signatures), then the tag; the manifest's bytes are the source's.
            await CopyTreeAsync(source, destination, legacy.Descriptor, result, MaxReferrerDepth, cancellationToken).ConfigureAwait(false);
            await _registry.PushManifestAsync(destination, legacy.Descriptor.MediaType, legacy.Content, tag, cancellationToken).ConfigureAwait(false);
            result.LegacyTags++;
        }
    }

    /// <summary>
    /// The destination's tag, written last (a registry reference without one has <c>latest</c>, as <c>docker push</c>);
    /// a layout reference without a tag lists the image untagged in index.json (as skopeo's <c>oci:PATH</c>).
    /// </summary>
    private async Task<ImageReference> TagAsync(ImageReference source, ImageReference destination, OciDescriptor top, CancellationToken cancellationToken)
    {
        if (destination.Tag is { } tag)
        {
            FetchedManifest manifest = await _registry.TryGetManifestAsync(source.WithDigest(top.Digest), cancellationToken).ConfigureAwait(false)
                ?? throw OciErrors.CopyIncomplete.ToException($"{source} disappeared during the copy");
            await _registry.PushManifestAsync(destination, top.MediaType, manifest.Content, tag, cancellationToken).ConfigureAwait(false);
            return destination.WithTag(tag).WithDigest(top.Digest);
        }

        if (destination.IsLayout && UnwrapLayouts(_registry) is { } layouts)
        {
            await layouts.AddToIndexAsync(destination, top, cancellationToken).ConfigureAwait(false);
        }

        return destination.WithDigest(top.Digest);
    }

    /// <summary>
    /// The lineage at the source, each base copied to where its claim, read from the copied child, names it: a relative
    /// layout claim (<c>oci:../base</c>) from the child's destination; an absolute name stays where it is.
    /// </summary>
    private async Task CopyLineageAsync(ImageReference source, ImageReference destination, ImageCopyResult result, CancellationToken cancellationToken)
    {
        LineageTree tree = await new LineageWalker(_registry).WalkAsync(source, cancellationToken).ConfigureAwait(false);
        if (tree.Error is { } error && tree.Levels.Count <= 1)
        {
            throw OciErrors.CopyIncomplete.ToException($"the lineage of {source} could not be walked ({error.Code}: {tree.ErrorDetail})");
        }

        ImageReference claimant = destination;
        for (int i = 1; i < tree.Levels.Count; i++)
        {
            LineageLevel level = tree.Levels[i];
            BaseImageClaim claim = tree.Levels[i - 1].Claim!;
            if (!claimant.IsLayout || !ImageReference.IsLayoutSyntax(claim.Name) || Path.IsPathRooted(claim.Name[ImageReference.LayoutRegistry.Length..]))
            {
                result.AncestorsInPlace.Add(level.Reference);
                claimant = level.Reference;
                continue;
            }

            ImageReference target = BaseImageClaimReader.BaseReference(claim, claimant);
            ImageReference from = level.IndexDigest is { } index ? level.Reference.WithDigest(index) : level.Reference;
            ImageReference to = ImageReference.ParseLayout("oci:" + target.LayoutPath + (target.Tag is null ? string.Empty : ":" + target.Tag));
            ImageReference copied = (await CopyAsync(from, to, lineage: false, cancellationToken).ConfigureAwait(false)).Destination;
            result.Ancestors.Add(copied);
            claimant = copied;
        }
    }

    private static OciLayoutRegistry? UnwrapLayouts(IOciRegistry registry) => registry switch
    {
        OciLayoutRegistry layouts => layouts,
        OciRegistryRouter router => router.Layouts as OciLayoutRegistry,
        _ => null,
    };
}
