namespace SupplyChain.Oci.Lineage;

/// <summary>Where a base-image claim was read, in order of precedence (docs/policy.md, "Lineage").</summary>
public enum ClaimSource
{
    /// <summary>The platform manifest's annotations (image-spec <c>annotations.md</c>).</summary>
    ManifestAnnotation,

    /// <summary>The annotations of the index the platform manifest was resolved from.</summary>
    IndexAnnotation,

    /// <summary>The image config's <c>config.Labels</c> (the .NET SDK and some Dockerfile builds write labels).</summary>
    ConfigLabel,

    /// <summary>A verified SLSA provenance attestation on the image, through an <see cref="IBaseImageProvenanceSource"/>.</summary>
    Provenance,
}

/// <summary>
/// What an image says it was built on: <c>org.opencontainers.image.base.name</c> and
/// <c>org.opencontainers.image.base.digest</c>. A claim is only a claim until the walk has proved it
/// (the base's <c>rootfs.diff_ids</c> are a prefix of the child's).
/// </summary>
public sealed class BaseImageClaim
{
    /// <summary>The annotation (and label) key naming the base image's reference.</summary>
    public const string NameKey = "org.opencontainers.image.base.name";

    /// <summary>The annotation (and label) key naming the base image's digest.</summary>
    public const string DigestKey = "org.opencontainers.image.base.digest";

    /// <summary>The base name that declares "built from scratch" (no digest, nothing to prove).</summary>
    public const string Scratch = "scratch";

    /// <summary>Creates a claim.</summary>
    /// <param name="name">The base's reference as written (<c>registry/repository[:tag]</c>), or <c>scratch</c>.</param>
    /// <param name="digest">The base's digest (an index or a platform manifest); <c>null</c> only for <c>scratch</c>.</param>
    /// <param name="source">Where the claim was read.</param>
    public BaseImageClaim(string name, string? digest, ClaimSource source)
    {
        Name = name;
        Digest = digest;
        Source = source;
    }

    /// <summary>The base's reference as written, or <c>scratch</c>.</summary>
    public string Name { get; }

    /// <summary>The base's digest, <c>null</c> for <c>scratch</c>.</summary>
    public string? Digest { get; }

    /// <summary>Where the claim was read (the highest-precedence source that made it).</summary>
    public ClaimSource Source { get; }

    /// <summary>
    /// Every source that made this same claim (they must agree, SC4601): <see cref="ClaimSources.Provenance"/> among them
    /// when the level's verified provenance proved the same base. Defaults to <see cref="Source"/>'s flag.
    /// </summary>
    public ClaimSources Sources { get => _sources == ClaimSources.None ? FlagOf(Source) : _sources; init => _sources = value; }

    private readonly ClaimSources _sources;

    /// <summary>The flag of one source.</summary>
    /// <param name="source">The source.</param>
    /// <returns>Its <see cref="ClaimSources"/> flag.</returns>
    public static ClaimSources FlagOf(ClaimSource source) => source switch
    {
        ClaimSource.ManifestAnnotation => ClaimSources.ManifestAnnotations,
        ClaimSource.IndexAnnotation => ClaimSources.IndexAnnotations,
        ClaimSource.ConfigLabel => ClaimSources.ConfigLabels,
        _ => ClaimSources.Provenance,
    };

    /// <summary><c>true</c> when the image declares it was built from scratch.</summary>
    public bool IsScratch => Digest is null && Name == Scratch;
}
