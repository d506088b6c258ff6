namespace SupplyChain.Oci.Registry;

/// <summary>
/// How registry requests are retried: on 429, 5xx, timeouts and network errors, with exponential backoff and full
/// jitter; a Retry-After header (RFC 9110 section 10.2.3, seconds or an HTTP date) is honoured up to <see cref="MaxDelay"/>.
/// Bounded twice: by <see cref="MaxAttempts"/> and by <see cref="MaxTotalDelay"/> summed over one request's waits.
/// </summary>
public sealed record RegistryRetryPolicy
{
    /// <summary>Four attempts, 0.5 s initial delay, 30 s total wait, 30 s per attempt.</summary>
    public static RegistryRetryPolicy Default { get; } = new();

    /// <summary>No retries.</summary>
    public static RegistryRetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Total attempts for one request (1 = no retry; at most 10).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The delay before the second attempt; doubled for each further one.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest single wait between attempts (Retry-After included).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest total wait for one request; when Retry-After asks for more, the request fails now.</summary>
    public TimeSpan MaxTotalDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take until its response headers arrive.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal bool IsValid =>
        MaxAttempts is >= 1 and <= Limits.MaxAttempts
        && InitialDelay >= TimeSpan.Zero
        && MaxDelay >= TimeSpan.Zero
        && MaxTotalDelay >= TimeSpan.Zero
        && AttemptTimeout > TimeSpan.Zero;
}
