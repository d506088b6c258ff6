using SupplyChain.Core.Errors;

namespace SupplyChain.Tuf.TrustedRoots;

/// <summary>
/// Where a long-running program gets its Sigstore trusted root from, and keeps it current: the TUF repository
/// (<see cref="TufTrustedRootSource"/>), a mounted file (<see cref="FileTrustedRootSource"/>) or a fixed document
/// (<see cref="StaticTrustedRootSource"/>). A refresh that fails keeps the previous trusted root, so a program that
/// started with one never loses it to a repository outage. Implementations are thread-safe; refreshes are serialised.
/// </summary>
public interface ITrustedRootSource : IDisposable
{
    /// <summary>The trusted root in use, or <see langword="null"/> before any loaded.</summary>
    TrustedRootSnapshot? Current { get; }

    /// <summary>Checks for a new trusted root when one is due (each source says when), and swaps it in when it changed.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>What the check did; a failure carries its error and leaves <see cref="Current"/> as it was.</returns>
    Task<TrustedRootRefresh> RefreshAsync(CancellationToken cancellationToken = default);
}

/// <summary>What one <see cref="ITrustedRootSource.RefreshAsync"/> did.</summary>
public enum TrustedRootRefreshResult
{
    /// <summary>Not due, or the content did not change (or was already rejected): nothing done.</summary>
    Unchanged,

    /// <summary>A new trusted root is in use.</summary>
    Updated,

    /// <summary>A new trusted root could not be had or used: the previous one stays (or there still is none).</summary>
    Failed,
}

/// <summary>What one refresh did, and why it failed.</summary>
/// <param name="Result">The result.</param>
/// <param name="Error">The failure when <paramref name="Result"/> is <see cref="TrustedRootRefreshResult.Failed"/>: SC3070/SC3071 for a file, an SC3xxx code of the TUF client, or the trusted root parser's SC11xx code.</param>
public readonly record struct TrustedRootRefresh(TrustedRootRefreshResult Result, SupplyChainException? Error = null)
{
    /// <summary>Nothing done.</summary>
    public static TrustedRootRefresh Unchanged => new(TrustedRootRefreshResult.Unchanged);

    /// <summary>A new trusted root is in use.</summary>
    public static TrustedRootRefresh Updated => new(TrustedRootRefreshResult.Updated);

    /// <summary>A failure; the previous trusted root stays.</summary>
    /// <param name="error">Why.</param>
    public static TrustedRootRefresh Failed(SupplyChainException error) => new(TrustedRootRefreshResult.Failed, error);
}
