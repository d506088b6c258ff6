namespace SupplyChain.Oci;

/// <summary>Limits on untrusted input read from registries, in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Longest image reference accepted (distribution's reference grammar caps the name at 255 characters).</summary>
    public const int MaxReferenceLength = 4096;

    /// <summary>Largest manifest or index parsed on a lineage walk (the distribution spec suggests registries accept at least 4 MiB).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Largest image config blob read on a lineage walk.</summary>
    public const int MaxConfigBytes = 4 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in manifests, indexes and configs.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>Most layers accepted in one image (Docker refuses more than 127; OCI sets no limit).</summary>
    public const int MaxLayers = 4096;

    /// <summary>Most manifests accepted in one index.</summary>
    public const int MaxIndexManifests = 1024;

    /// <summary>Hard cap on the depth of a lineage walk, whatever the options say.</summary>
    public const int MaxLineageDepth = 64;

    /// <summary>Default depth of a lineage walk (base claims followed).</summary>
    public const int DefaultLineageDepth = 16;
}
