namespace SupplyChain.Http;

/// <summary>
/// How a request is retried: on 408, 429, 5xx (but 501 and 505), timeouts and network errors, with exponential backoff
/// and full jitter; a Retry-After header (RFC 9110 section 10.2.3, seconds or an HTTP date) is honoured up to
/// <see cref="MaxDelay"/>. Bounded twice: by <see cref="MaxAttempts"/> and by <see cref="MaxTotalDelay"/> summed over
/// one request's waits (a Retry-After that does not fit ends the retries at once). Each attempt, its redirects and its
/// body read together, is bounded by <see cref="AttemptTimeout"/>.
/// </summary>
public sealed record HttpRetryPolicy
{
    /// <summary>Four attempts, 0.5 s initial delay, 15 s longest wait, 30 s total wait, 30 s per attempt.</summary>
    public static HttpRetryPolicy Default { get; } = new();

    /// <summary>One attempt (30 s), no retry.</summary>
    public static HttpRetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Total attempts for one request (1 = no retry; at most 10).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The ceiling of the wait before the second attempt; doubled for each further one (the wait is drawn below it).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest single wait between attempts, Retry-After included (at most 60 s whatever is set).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest total wait for one request; when a Retry-After asks for more than is left, the request ends now.</summary>
    public TimeSpan MaxTotalDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take: connecting, sending, redirects, response headers and the whole body.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the policy is usable: 1 to 10 attempts, non-negative delays, a positive timeout.</summary>
    public bool IsValid =>
        MaxAttempts is >= 1 and <= Limits.MaxAttempts
        && InitialDelay >= TimeSpan.Zero
        && MaxDelay >= TimeSpan.Zero
        && MaxTotalDelay >= TimeSpan.Zero
        && AttemptTimeout > TimeSpan.Zero
        && AttemptTimeout != Timeout.InfiniteTimeSpan;
}
