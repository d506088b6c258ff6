namespace SupplyChain.Admission.Caching;

/// <summary>Options of <see cref="VerdictCache"/> (issue 7, "Cache"; docs/admission.md, "Cache").</summary>
public sealed class VerdictCacheOptions
{
    /// <summary>The most verdicts kept; beyond it the least recently used one is evicted. Default 10,000.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>How long an allowed verdict is reused. Default 5 minutes.</summary>
    public TimeSpan AllowedTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a denial (verification failed, malformed or configuration) is reused. Default 30 seconds.</summary>
    public TimeSpan DeniedTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a verdict that failed on a service (a registry error, category ServiceFailure) is reused; zero never caches it. Default 5 seconds.</summary>
    public TimeSpan FailureTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The budget of one (shared) evaluation, independent of any caller's deadline. Default 30 seconds.</summary>
    public TimeSpan EvaluationBudget { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for expiry and the evaluation budget.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (MaxEntries < 1)
        {
            throw AdmissionErrors.InvalidOption.ToException($"cache max entries must be at least 1, not {MaxEntries}");
        }

        if (AllowedTtl < TimeSpan.Zero || DeniedTtl < TimeSpan.Zero || FailureTtl < TimeSpan.Zero || EvaluationBudget <= TimeSpan.Zero)
        {
            throw AdmissionErrors.InvalidOption.ToException("cache TTLs must not be negative and the evaluation budget must be positive");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
