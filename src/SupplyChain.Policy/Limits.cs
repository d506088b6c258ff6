namespace SupplyChain.Policy;

/// <summary>Limits on untrusted input (policy files), in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Largest policy file accepted, in bytes.</summary>
    public const int MaxPolicyBytes = 1024 * 1024;

    /// <summary>Deepest nesting of mappings and sequences in a policy (the schema needs 6).</summary>
    public const int MaxPolicyDepth = 16;

    /// <summary>Most nodes (scalars, mappings, sequences) in one policy.</summary>
    public const int MaxPolicyNodes = 100_000;

    /// <summary>Largest public key file named by a policy, in bytes.</summary>
    public const int MaxKeyFileBytes = 64 * 1024;

    /// <summary>Longest image-name glob.</summary>
    public const int MaxPatternLength = 512;

    /// <summary>Default <c>lineage.maxDepth</c> (the lineage walker's own default).</summary>
    public const int DefaultLineageDepth = 16;

    /// <summary>Largest <c>lineage.maxDepth</c> (the lineage walker's hard cap).</summary>
    public const int MaxLineageDepth = 64;
}
