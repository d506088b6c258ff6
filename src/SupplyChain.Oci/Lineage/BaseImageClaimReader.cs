using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// Reads the base-image claim of a platform image from every source and reconciles them. Precedence:
/// manifest annotations, then index annotations, then config labels, then verified provenance (whose base is selected
/// by the layer proof, <see cref="ProvenanceBaseSelector"/>). Every source that makes a claim must name the same base
/// (digest, or <c>scratch</c>); any disagreement fails closed with SC4601, because a claim that differs by source is at
/// best stale. The reported claim is the highest-precedence one, with every agreeing source.
/// </summary>
internal static class BaseImageClaimReader
{
    /// <summary>The claim of <paramref name="image"/>'s annotations and labels, read from <paramref name="sources"/> only (those the level's verified signature covers).</summary>
    public static BaseImageClaim? Read(ResolvedImage image, ClaimSources sources)
    {
        var claims = new List<BaseImageClaim>(3);
        if (sources.HasFlag(ClaimSources.ManifestAnnotations))
        {
            AddFrom(claims, image.Manifest.Annotations, ClaimSource.ManifestAnnotation);
        }

        if (sources.HasFlag(ClaimSources.IndexAnnotations))
        {
            AddFrom(claims, image.IndexAnnotations, ClaimSource.IndexAnnotation);
        }

        if (sources.HasFlag(ClaimSources.ConfigLabels))
        {
            AddFrom(claims, image.Config.Labels, ClaimSource.ConfigLabel);
        }

        if (claims.Count == 0)
        {
            return null;
        }

        BaseImageClaim chosen = claims[0];
        ClaimSources agreeing = ClaimSources.None;
        foreach (BaseImageClaim other in claims)
        {
            if (Identity(other) != Identity(chosen))
            {
                throw OciErrors.LineageClaimConflict.ToException(
                    $"{chosen.Source} names {Identity(chosen)} but {other.Source} names {Identity(other)}");
            }

            agreeing |= BaseImageClaim.FlagOf(other.Source);
        }

        return new BaseImageClaim(chosen.Name, chosen.Digest, chosen.Source) { Sources = agreeing };
    }

    /// <summary>
    /// Reconciles the annotation and label claim with the base the level's verified provenance proved (docs/policy.md,
    /// "Base images from provenance"): they must name the same base (the provenance's recorded digest, or the index or
    /// platform manifest it resolved to), and a <c>scratch</c> claim contradicts a proved base (SC4601). A provenance that
    /// proved no base claims nothing.
    /// </summary>
    public static BaseImageClaim? Reconcile(BaseImageClaim? claim, ImageDependency? proved, ResolvedImage? provedImage)
    {
        if (proved is null || provedImage is null)
        {
            return claim;
        }

        if (claim is null)
        {
            return new BaseImageClaim(ProvenanceBaseSelector.NameOf(proved.Reference), proved.Digest, ClaimSource.Provenance);
        }

        if (claim.IsScratch || (claim.Digest != proved.Digest && claim.Digest != provedImage.Reference.Digest && claim.Digest != provedImage.IndexDigest))
        {
            throw OciErrors.LineageClaimConflict.ToException(
                $"{claim.Source} names {Identity(claim)} but the verified provenance proves {proved.Reference}");
        }

        return new BaseImageClaim(claim.Name, claim.Digest, claim.Source) { Sources = claim.Sources | ClaimSources.Provenance };
    }

    /// <summary>
    /// Parses a claimed base name into the reference to fetch, at the claimed digest. A layout image may claim a base in
    /// another layout (<c>oci:PATH</c>, a relative path taken from the claiming layout's directory, so a set of layouts
    /// moves as one); a registry image may not (<c>SC4065</c>): content from a registry never names a local path.
    /// </summary>
    public static ImageReference BaseReference(BaseImageClaim claim, ImageReference claimant)
    {
        ImageReference name;
        if (ImageReference.IsLayoutSyntax(claim.Name) && !claimant.IsLayout)
        {
            throw OciErrors.LayoutReferenceRefused.ToException($"{claim.Source}: the registry image {claimant} claims a base in a local layout ('{Shorten(claim.Name)}')");
        }

        try
        {
            name = ImageReference.IsLayoutSyntax(claim.Name) ? ImageReference.ParseLayout(claim.Name, claimant.LayoutPath) : ImageReference.Parse(claim.Name);
        }
        catch (SupplyChainException ex)
        {
            throw OciErrors.LineageClaimMalformed.ToException($"{claim.Source}: base name '{Shorten(claim.Name)}' is not an image reference", ex);
        }

        if (name.Digest is not null && name.Digest != claim.Digest)
        {
            throw OciErrors.LineageClaimMalformed.ToException($"{claim.Source}: base name carries digest {name.Digest} but base digest is {claim.Digest}");
        }

        return name.WithDigest(claim.Digest!);
    }

    private static void AddFrom(List<BaseImageClaim> claims, IReadOnlyDictionary<string, string> values, ClaimSource source)
    {
        string? name = values.TryGetValue(BaseImageClaim.NameKey, out string? n) ? n : null;
        string? digest = values.TryGetValue(BaseImageClaim.DigestKey, out string? d) ? d : null;
        if (name is null && digest is null)
        {
            return;
        }

        Validate(name, digest, source);
        claims.Add(new BaseImageClaim(name!, digest, source));
    }

    private static void Validate(string? name, string? digest, ClaimSource source)
    {
        if (digest is null && name == BaseImageClaim.Scratch)
        {
            return;
        }

        // image-spec annotations.md: base.digest is the "digest of the image this image is based on", base.name its
        // reference. Without both the claim can neither be fetched nor proved.
        if (string.IsNullOrEmpty(name) || name.Length > Limits.MaxReferenceLength)
        {
            throw OciErrors.LineageClaimMalformed.ToException($"{source}: {BaseImageClaim.DigestKey} without a usable {BaseImageClaim.NameKey}");
        }

        if (!OciDigest.IsValid(digest))
        {
            throw OciErrors.LineageClaimMalformed.ToException($"{source}: {BaseImageClaim.DigestKey} is missing or not a sha256/sha512 digest");
        }
    }

    private static string Identity(BaseImageClaim claim) => claim.IsScratch ? BaseImageClaim.Scratch : claim.Digest!;

    private static string Shorten(string value) => value.Length <= 200 ? value : value[..200] + "...";
}
