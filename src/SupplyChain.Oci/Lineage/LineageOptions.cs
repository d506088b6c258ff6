using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>How a <see cref="LineageWalker"/> walks: which platform, how deep, where to stop.</summary>
public sealed class LineageOptions
{
    /// <summary>The default platform, <c>linux/amd64</c>.</summary>
    public static readonly OciPlatform DefaultPlatform = new("linux", "amd64");

    /// <summary>The platform an index is resolved to at the top (bases are resolved to the child's platform).</summary>
    public OciPlatform Platform { get; init; } = DefaultPlatform;

    /// <summary>Most base claims followed (levels below the top); 1 to 64, default 16. Deeper lineages fail with SC4606.</summary>
    public int MaxDepth { get; init; } = Limits.DefaultLineageDepth;

    /// <summary>
    /// Says whether a level is a trusted root: the walk stops there without reading its claim. Called with each
    /// level as soon as its manifest and config are read (the policy feeds it its <c>trustedRoots</c>).
    /// </summary>
    public Func<LineageLevel, bool>? IsTrustedRoot { get; init; }

    /// <summary>
    /// An optional source of base candidates from verified SLSA provenance, read at a level when its admission covers
    /// <see cref="ClaimSources.Provenance"/>: the base is the candidate proving the longest layer prefix, and it must agree
    /// with the level's other claims (SC4601).
    /// </summary>
    public IBaseImageProvenanceSource? ProvenanceSource { get; init; }

    /// <summary>
    /// Whether every claim read must be backed by verified provenance (SC4654 otherwise): the provenance proved the same
    /// base, or, for <c>scratch</c>, the provenance was read completely and no candidate proved.
    /// </summary>
    public bool RequireProvenance { get; init; }

    /// <summary>
    /// Called with each level as soon as its manifest and config are read, before anything else is decided about it
    /// (trusted root, claim): the policy evaluator verifies the level's signatures here and says which claim sources
    /// its verified signature covers, or denies the level (the walk then ends <see cref="LineageEnd.Denied"/> without
    /// reading its claim). <c>null</c> admits every level with every source (<c>signcli lineage</c>'s display walk).
    /// </summary>
    public Func<LineageLevel, CancellationToken, Task<LevelAdmission>>? AdmitLevel { get; init; }

    /// <summary>
    /// Called with a level, its claim and the base reference the claim names, BEFORE the base is requested: a non-null
    /// exception ends the walk (<see cref="LineageEnd.Failed"/> with its code) without any request to the claimed host.
    /// </summary>
    public Func<LineageLevel, BaseImageClaim, ImageReference, Core.Errors.SupplyChainException?>? CheckBase { get; init; }

    internal void Validate()
    {
        if (MaxDepth < 1 || MaxDepth > Limits.MaxLineageDepth)
        {
            throw OciErrors.LineageOptionsInvalid.ToException($"MaxDepth must be 1 to {Limits.MaxLineageDepth}, not {MaxDepth}");
        }

        if (Platform is null || string.IsNullOrEmpty(Platform.Os) || string.IsNullOrEmpty(Platform.Architecture))
        {
            throw OciErrors.LineageOptionsInvalid.ToException("the platform needs an os and an architecture");
        }
    }
}
