using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// A verdict cache (issue 7, "Cache"): returns the cached verdict for a key, or evaluates it, with concurrent
/// identical evaluations coalesced into one. The implementation decides the time to live from the verdict
/// (allowed longer than denied; registry failures shortest or not at all) and bounds its memory.
/// </summary>
public interface IVerdictCache
{
    /// <summary>
    /// The verdict for <paramref name="key"/>: cached, joined from an evaluation already running for the same key,
    /// or computed by <paramref name="evaluate"/>. A caller whose <paramref name="cancellationToken"/> fires stops
    /// waiting (<see cref="OperationCanceledException"/>) without cancelling an evaluation other callers share.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="evaluate">Computes the verdict; its token is the evaluation's own budget, not a caller's deadline.</param>
    /// <param name="cancellationToken">This caller's deadline.</param>
    /// <returns>The verdict, and whether it came from the cache or a shared evaluation rather than a new one.</returns>
    Task<CachedVerdict> GetOrEvaluateAsync(VerdictKey key, Func<CancellationToken, Task<PolicyVerdict>> evaluate, CancellationToken cancellationToken);
}

/// <summary>A verdict and how it was obtained.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Source">Where it came from.</param>
public readonly record struct CachedVerdict(PolicyVerdict Verdict, VerdictSource Source);

/// <summary>How a verdict was obtained (counted in the metrics).</summary>
public enum VerdictSource
{
    /// <summary>Evaluated for this request.</summary>
    Evaluated,

    /// <summary>Read from the cache.</summary>
    Cached,

    /// <summary>Joined an evaluation another request had started.</summary>
    Coalesced,
}
