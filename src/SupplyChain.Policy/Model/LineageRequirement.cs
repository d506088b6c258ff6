using SupplyChain.Oci.Lineage;

namespace SupplyChain.Policy.Model;

/// <summary>
/// What a rule asks of an image's base-image lineage: whether to walk it at all, where it may end (trusted roots:
/// <c>scratch</c>, image-name globs, or digests), how deep it may be, and whether it may end at an image without a claim.
/// </summary>
public sealed class LineageRequirement
{
    private readonly IReadOnlyList<ImagePattern> _rootPatterns;
    private readonly IReadOnlySet<string> _rootDigests;

    internal LineageRequirement(bool required, IReadOnlyList<string> trustedRoots, int maxDepth, bool allowMissingClaim, IReadOnlyList<ImagePattern> rootPatterns, IReadOnlySet<string> rootDigests)
    {
        Required = required;
        TrustedRoots = trustedRoots;
        MaxDepth = maxDepth;
        AllowMissingClaim = allowMissingClaim;
        _rootPatterns = rootPatterns;
        _rootDigests = rootDigests;
    }

    /// <summary>The keyword naming scratch as a trusted root.</summary>
    public const string ScratchRoot = "scratch";

    /// <summary>The claim sources read when <c>claimSources</c> is not given: annotations and labels (provenance when <c>requireProvenance</c>).</summary>
    public const ClaimSources DefaultClaimSources = ClaimSources.ManifestAnnotations | ClaimSources.IndexAnnotations | ClaimSources.ConfigLabels;

    /// <summary>
    /// Where base-image claims are read at every level of the walk (<c>claimSources</c>), within what each level's verified
    /// signature covers: annotations, labels, and verified SLSA provenance (docs/policy.md, "Base images from provenance").
    /// </summary>
    public ClaimSources ClaimSources { get; internal init; } = DefaultClaimSources;

    /// <summary>Whether every level's claim must be backed by its verified provenance (<c>requireProvenance</c>, SC4654 otherwise).</summary>
    public bool RequireProvenance { get; internal init; }

    /// <summary>Whether the lineage is walked and proved (default <c>false</c>: only the image itself is checked).</summary>
    public bool Required { get; }

    /// <summary>The trusted roots as written: <c>scratch</c>, image-name globs, and digests.</summary>
    public IReadOnlyList<string> TrustedRoots { get; }

    /// <summary>Most base claims followed below the image (default 16, at most 64).</summary>
    public int MaxDepth { get; }

    /// <summary>Whether the walk may end at an image that makes no base-image claim (default <c>false</c>).</summary>
    public bool AllowMissingClaim { get; }

    /// <summary>Whether a lineage ending at scratch (an image without layers, or one declaring <c>base.name: scratch</c>) is accepted.</summary>
    public bool TrustsScratch => TrustedRoots.Contains(ScratchRoot);

    /// <summary>Whether <paramref name="level"/> is a trusted root: its name matches a glob, or its manifest or index digest is listed.</summary>
    /// <param name="level">A level of the walk.</param>
    /// <returns><c>true</c> when the walk may stop there.</returns>
    public bool IsTrustedRoot(LineageLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        return _rootDigests.Contains(level.Digest)
            || (level.IndexDigest is not null && _rootDigests.Contains(level.IndexDigest))
            || _rootPatterns.Any(p => p.Matches(level.Name));
    }

    /// <summary>
    /// Whether a trusted root names the base a claim points at, before anything is fetched: its name matches a glob,
    /// or the claimed digest is listed. (<c>scratch</c> is not a name: it is only ever a claim.)
    /// </summary>
    /// <param name="name"><c>registry/repository</c> of the claimed base.</param>
    /// <param name="digest">The claimed digest.</param>
    /// <returns><c>true</c> when a trusted root covers it.</returns>
    public bool NamesRoot(string name, string? digest)
    {
        ArgumentNullException.ThrowIfNull(name);
        return (digest is not null && _rootDigests.Contains(digest)) || _rootPatterns.Any(p => p.Matches(name));
    }
}
