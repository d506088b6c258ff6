namespace SupplyChain.Admission.Hosting;

/// <summary>What one reload check did.</summary>
internal enum ReloadResult
{
    /// <summary>The content did not change (or was already rejected): nothing done.</summary>
    Unchanged,

    /// <summary>New content was loaded and is in use.</summary>
    Reloaded,

    /// <summary>New content could not be used: the previous one stays (or, with none, the server is not ready).</summary>
    Failed,
}
