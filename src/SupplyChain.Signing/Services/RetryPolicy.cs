namespace SupplyChain.Signing.Services;

/// <summary>
/// How requests to Fulcio, Rekor and the TSA are retried: bounded attempts with exponential backoff and full
/// jitter on 5xx, 429 and timeouts; a Retry-After header (RFC 9110 section 10.2.3) is honoured up to
/// <see cref="MaxDelay"/>.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Three attempts, 0.5 s initial delay, 10 s per-attempt timeout.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>No retries.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Total attempts for one request (1 = no retry; at most 10).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The delay before the second attempt; doubled for each further one.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal bool IsValid =>
        MaxAttempts is >= 1 and <= Limits.MaxAttempts
        && InitialDelay >= TimeSpan.Zero
        && MaxDelay >= TimeSpan.Zero
        && AttemptTimeout > TimeSpan.Zero;
}
