namespace SupplyChain.Oci;

/// <summary>Limits on untrusted input read from registries, in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Longest image reference accepted (distribution's reference grammar caps the name at 255 characters).</summary>
    public const int MaxReferenceLength = 4096;
}
