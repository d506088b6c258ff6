namespace SupplyChain.Oci.Lineage;

/// <summary>The claim sources a walk may read for one level (docs/policy.md, "Trust before network").</summary>
[Flags]
public enum ClaimSources
{
    /// <summary>No source: the level's claim is not read.</summary>
    None = 0,

    /// <summary>The platform manifest's annotations.</summary>
    ManifestAnnotations = 1,

    /// <summary>The annotations of the index the platform manifest was resolved from.</summary>
    IndexAnnotations = 2,

    /// <summary>The image config's labels.</summary>
    ConfigLabels = 4,

    /// <summary>Verified SLSA provenance, through <see cref="LineageOptions.ProvenanceSource"/>.</summary>
    Provenance = 8,

    /// <summary>Every source.</summary>
    All = ManifestAnnotations | IndexAnnotations | ConfigLabels | Provenance,
}

/// <summary>What <see cref="LineageOptions.AdmitLevel"/> decided for a level, before its claim is read.</summary>
public sealed class LevelAdmission
{
    private LevelAdmission(bool admitted, ClaimSources sources)
    {
        Admitted = admitted;
        Sources = sources;
    }

    /// <summary>The level is denied: the walk stops there (<see cref="LineageEnd.Denied"/>) without reading its claim.</summary>
    public static LevelAdmission Denied { get; } = new(false, ClaimSources.None);

    /// <summary>Whether the walk goes on.</summary>
    public bool Admitted { get; }

    /// <summary>The sources the level's claim may be read from (those its verified signature covers).</summary>
    public ClaimSources Sources { get; }

    /// <summary>The level is admitted; its claim is read only from <paramref name="sources"/>.</summary>
    /// <param name="sources">The covered sources.</param>
    /// <returns>The admission.</returns>
    public static LevelAdmission Allowed(ClaimSources sources) => new(true, sources);
}
