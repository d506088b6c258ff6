namespace SupplyChain.Instance;

/// <summary>Limits on untrusted input (requests to the served instance, files in the instance directory), in one place (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Largest HTTP request body the served instance reads.</summary>
    public const int MaxRequestBytes = 1024 * 1024;
}
