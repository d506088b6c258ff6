namespace SupplyChain.Http;

/// <summary>Limits of the HTTP layer, whatever the options say (DESIGN.md convention 5).</summary>
internal static class Limits
{
    /// <summary>Most attempts for one request.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Longest wait between attempts, whatever Retry-After asks for.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    /// <summary>Most redirects followed for one attempt (RFC 9110 section 15.4: "A client SHOULD detect and intervene in cyclical redirections").</summary>
    public const int MaxRedirects = 5;

    /// <summary>Default most bytes of an error body read (for a caller's RemoteDetail); the rest is not read.</summary>
    public const int DefaultMaxErrorBodyBytes = 64 * 1024;

    /// <summary>The read size of a body whose length is not known beforehand.</summary>
    public const int ReadChunkBytes = 64 * 1024;

    /// <summary>
    /// How long a pooled connection of the default transport lives, so a long-lived client sees DNS changes
    /// (the HttpClient guidelines' <c>PooledConnectionLifetime</c>).
    /// </summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);
}
