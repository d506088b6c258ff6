using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// Discovers, proves and walks the base-image lineage of an image. Each step reads the image's claim, fetches the
/// claimed base (an index is resolved to the child's platform), and proves the claim: the base's
/// <c>rootfs.diff_ids</c> must be the first diff_ids of the child (image-spec config.md: diff_ids are the
/// uncompressed layer digests "in order from first to last", so recompression does not change them). The walk stops
/// at a trusted root, an image without layers, one declared <c>FROM scratch</c>, or one without a claim. With
/// <see cref="LineageOptions.AdmitLevel"/> the caller verifies each level before its claim is read and with
/// <see cref="LineageOptions.CheckBase"/> approves each claimed base before it is requested (trust before network).
/// Thread-safe: one walker serves concurrent walks.
/// </summary>
public sealed class LineageWalker
{
    private readonly ImageResolver _resolver;
    private readonly LineageOptions _options;

    /// <summary>Creates a walker.</summary>
    /// <param name="registry">Every read goes through it (it checks digests and size limits).</param>
    /// <param name="options">The platform, depth limit, trusted roots and provenance source; defaults when <c>null</c>.</param>
    /// <exception cref="TrustRootException">SC4611 when the options are invalid.</exception>
    public LineageWalker(IOciRegistry registry, LineageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _options = options ?? new LineageOptions();
        _options.Validate();
        _resolver = new ImageResolver(registry);
    }

    /// <summary>Walks the lineage of <paramref name="image"/> (a tag or digest; an index is resolved to the options' platform).</summary>
    /// <param name="image">The top image.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The tree. A failure (bad claim, failed proof, missing base, cycle, depth, registry error) is a tree with <see cref="LineageEnd.Failed"/> and its code, never an exception.</returns>
    public Task<LineageTree> WalkAsync(ImageReference image, CancellationToken cancellationToken = default) =>
        RunAsync(image, ct => _resolver.TryResolveAsync(image, _options.Platform, ct), walk: true, cancellationToken);

    /// <summary>Resolves only the top image (to its platform manifest), without reading or following its claim.</summary>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>A one-level tree ending <see cref="LineageEnd.NotWalked"/>, or a failed tree.</returns>
    public Task<LineageTree> ResolveAsync(ImageReference image, CancellationToken cancellationToken = default) =>
        RunAsync(image, ct => _resolver.TryResolveAsync(image, _options.Platform, ct), walk: false, cancellationToken);

    /// <summary>
    /// Reads the manifest <paramref name="image"/> names, once: an image manifest, or an index whose entries are
    /// classified (runnable image, not runnable, nested index). Each platform is then walked with
    /// <see cref="WalkAsync(ImageTop, IndexEntry?, bool, CancellationToken)"/>, so that every platform an index lists
    /// can be judged on its own.
    /// </summary>
    /// <param name="image">The reference (tag or digest).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The manifest read.</returns>
    /// <exception cref="Core.Errors.SupplyChainException">SC4610 when it does not exist; the registry's code when it cannot be read; SC4609, SC4012 for bad content.</exception>
    public Task<ImageTop> OpenAsync(ImageReference image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _resolver.OpenAsync(image, cancellationToken);
    }

    /// <summary>
    /// Walks one platform of <paramref name="top"/>: the manifest itself (<paramref name="entry"/> <c>null</c>), or the
    /// index entry <paramref name="entry"/>. Every level goes through <see cref="LineageOptions.AdmitLevel"/> before
    /// its claim is read, and every claimed base through <see cref="LineageOptions.CheckBase"/> before it is requested.
    /// </summary>
    /// <param name="top">What <see cref="OpenAsync"/> read.</param>
    /// <param name="entry">The platform entry of an index, or <c>null</c> for an image manifest.</param>
    /// <param name="follow">Whether to follow claims (else the walk ends <see cref="LineageEnd.NotWalked"/> after the top level's admission).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The tree; failures are a tree ending <see cref="LineageEnd.Failed"/>, never an exception.</returns>
    public Task<LineageTree> WalkAsync(ImageTop top, IndexEntry? entry, bool follow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(top);
        return RunAsync(top.Reference, async ct => await _resolver.ResolveAsync(top, entry, ct).ConfigureAwait(false), follow, cancellationToken);
    }

    private async Task<LineageTree> RunAsync(ImageReference image, Func<CancellationToken, Task<ResolvedImage?>> resolveTop, bool walk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var levels = new List<LineageLevel>();
        try
        {
            ResolvedImage current = await resolveTop(cancellationToken).ConfigureAwait(false)
                ?? throw OciErrors.LineageImageMissing.ToException(image.ToString());
            LineageEnd end = await WalkFromAsync(current, levels, walk, cancellationToken).ConfigureAwait(false);
            return new LineageTree(image, levels, end, null);
        }
        catch (SupplyChainException ex)
        {
            return new LineageTree(image, levels, LineageEnd.Failed, ex);
        }
    }

    /// <summary>
    /// Per level, in this order (docs/policy.md, "Trust before network"): admit it (the caller verifies its signature),
    /// stop at a trusted root or an empty image, read its claim from the covered sources only, check the claimed base
    /// before any request, fetch the base, prove it.
    /// </summary>
    private async Task<LineageEnd> WalkFromAsync(ResolvedImage current, List<LineageLevel> levels, bool walk, CancellationToken cancellationToken)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            if (!visited.Add(current.Reference.Digest!))
            {
                throw OciErrors.LineageCycle.ToException($"{current.Reference} appears twice in the lineage");
            }

            LineageLevel level = AddLevel(levels, current);
            LevelAdmission admission = _options.AdmitLevel is { } admit
                ? await admit(level, cancellationToken).ConfigureAwait(false)
                : LevelAdmission.Allowed(ClaimSources.All);
            if (!admission.Admitted)
            {
                return LineageEnd.Denied;
            }

            if (!walk)
            {
                return LineageEnd.NotWalked;
            }

            if (_options.IsTrustedRoot?.Invoke(level) == true)
            {
                return LineageEnd.TrustedRoot;
            }

            if (current.Config.DiffIds.Count == 0)
            {
                return LineageEnd.Empty;
            }

            BaseImageClaim? claim = BaseImageClaimReader.Read(current, admission.Sources);
            level.Claim = claim;
            if (claim is { IsScratch: false } && level.Depth >= _options.MaxDepth)
            {
                throw OciErrors.LineageTooDeep.ToException($"{current.Reference} claims a base below the depth limit of {_options.MaxDepth}");
            }

            // Verified provenance names candidates; the layer proof selects the base among them (fetching each approved one).
            ResolvedImage? provedBase = null;
            ImageDependency? provedDependency = null;
            if (_options.ProvenanceSource is { } provenance && admission.Sources.HasFlag(ClaimSources.Provenance)
                && await provenance.GetDependenciesAsync(level, cancellationToken).ConfigureAwait(false) is { } dependencies)
            {
                ProvenanceBaseChoice choice;
                (choice, provedBase, provedDependency) = await ProvenanceBaseSelector.SelectAsync(current, level, dependencies, _resolver, _options, cancellationToken).ConfigureAwait(false);
                level.Provenance = choice;
            }

            claim = BaseImageClaimReader.Reconcile(claim, provedDependency, provedBase);
            level.Claim = claim;
            if (claim is null)
            {
                return LineageEnd.NoClaim;
            }

            if (_options.RequireProvenance && !BackedByProvenance(claim, level.Provenance))
            {
                throw OciErrors.ClaimNotBackedByProvenance.ToException(level.Provenance is null
                    ? $"{current.Reference}: {claim.Source} claims {Describe(claim)}, and the image carries no verified provenance"
                    : $"{current.Reference}: {claim.Source} claims {Describe(claim)}, and its verified provenance {(claim.IsScratch ? "was not read completely" : "proved no such base")}");
            }

            if (claim.IsScratch)
            {
                return LineageEnd.Scratch;
            }

            if (level.Depth >= _options.MaxDepth)
            {
                throw OciErrors.LineageTooDeep.ToException($"{current.Reference} claims a base below the depth limit of {_options.MaxDepth}");
            }

            ImageReference baseReference = BaseImageClaimReader.BaseReference(claim, current.Reference);
            ResolvedImage baseImage;
            if (provedBase is not null && provedDependency is not null && SameRepository(baseReference, provedDependency.Reference))
            {
                // The provenance's base, already approved (CheckBase), fetched and proved.
                baseImage = provedBase;
            }
            else
            {
                if (_options.CheckBase?.Invoke(level, claim, baseReference) is { } refused)
                {
                    throw refused;
                }

                // The base is resolved to the child's own platform (from its config), whatever the top was asked for.
                baseImage = await _resolver.TryResolveAsync(baseReference, current.Config.Platform, cancellationToken).ConfigureAwait(false)
                    ?? throw OciErrors.LineageBaseMissing.ToException($"{current.Reference} claims {baseReference}");
            }

            level.LayersAdded = ProveBase(current, baseImage);
            current = baseImage;
        }
    }

    /// <summary>A claim is backed when the provenance proved the same base, or (scratch) the provenance was read completely and proved none.</summary>
    private static bool BackedByProvenance(BaseImageClaim claim, ProvenanceBaseChoice? choice) =>
        claim.Sources.HasFlag(ClaimSources.Provenance) || (claim.IsScratch && choice is { Chosen: null, Complete: true });

    private static bool SameRepository(ImageReference a, ImageReference b) => a.Registry == b.Registry && a.Repository == b.Repository;

    private static string Describe(BaseImageClaim claim) => claim.IsScratch ? BaseImageClaim.Scratch : claim.Name + "@" + claim.Digest;

    /// <summary>The proof: the base's diff_ids are a prefix of the child's. Returns how many layers the child adds.</summary>
    private static int ProveBase(ResolvedImage child, ResolvedImage baseImage)
    {
        IReadOnlyList<string> childIds = child.Config.DiffIds;
        IReadOnlyList<string> baseIds = baseImage.Config.DiffIds;
        if (baseIds.Count > childIds.Count)
        {
            throw OciErrors.LineageProofFailed.ToException(
                $"{child.Reference} has {childIds.Count} layers, fewer than its claimed base {baseImage.Reference} ({baseIds.Count})");
        }

        for (int i = 0; i < baseIds.Count; i++)
        {
            if (!string.Equals(baseIds[i], childIds[i], StringComparison.Ordinal))
            {
                throw OciErrors.LineageProofFailed.ToException(
                    $"layer {i} of {child.Reference} is {childIds[i]}, of its claimed base {baseImage.Reference} {baseIds[i]}");
            }
        }

        return childIds.Count - baseIds.Count;
    }

    private static LineageLevel AddLevel(List<LineageLevel> levels, ResolvedImage image)
    {
        var level = new LineageLevel(levels.Count, image.Reference, image.IndexDigest, image.Config.Platform, image.Config.DiffIds.Count);
        levels.Add(level);
        return level;
    }
}
