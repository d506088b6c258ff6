namespace SupplyChain.Oci.Lineage;

/// <summary>How a lineage walk ended.</summary>
public enum LineageEnd
{
    /// <summary>The last level declares it was built from scratch (<c>base.name</c> = <c>scratch</c>).</summary>
    Scratch,

    /// <summary>The last level is an image the caller marked as a trusted root.</summary>
    TrustedRoot,

    /// <summary>The last level makes no base-image claim; the policy decides whether that is acceptable.</summary>
    NoClaim,

    /// <summary>Only the top image was resolved; no claim was followed (<see cref="LineageWalker.ResolveAsync"/>).</summary>
    NotWalked,

    /// <summary>The walk failed: see <see cref="LineageTree.Error"/>. Never a pass.</summary>
    Failed,

    /// <summary>The last level has no layers (an empty image): nothing under it to prove; not a root by itself.</summary>
    Empty,

    /// <summary><see cref="LineageOptions.AdmitLevel"/> denied the last level; its claim was not read. Never a pass.</summary>
    Denied,
}
