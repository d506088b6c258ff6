namespace SupplyChain.Http;

/// <summary>
/// One logical request for <see cref="BoundedHttpClient.SendAsync"/>: how to build it (again for every attempt and
/// redirect, so a body can be sent again) and how much of the answer to read.
/// </summary>
public sealed class HttpCall
{
    /// <summary>Describes a request.</summary>
    /// <param name="createRequest">Builds the request (an absolute URL); called once per attempt and per redirect.</param>
    /// <param name="description">
    /// What the request is, for exception messages (such as <c>manifest registry.example/app:v1</c>). It must not hold
    /// secrets; the layer adds no URL, header or remote text to messages.
    /// </param>
    public HttpCall(Func<HttpRequestMessage> createRequest, string description)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        ArgumentException.ThrowIfNullOrEmpty(description);
        CreateRequest = createRequest;
        Description = description;
    }

    /// <summary>Builds the request; called once per attempt and per redirect.</summary>
    public Func<HttpRequestMessage> CreateRequest { get; }

    /// <summary>What the request is, for messages (no secrets).</summary>
    public string Description { get; }

    /// <summary>The largest body of a 2xx answer; more is the <see cref="HttpErrorCodes.TooLarge"/> code (the rest is never read). 1 MiB by default.</summary>
    public long MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The exact length a 2xx body should have, when known beforehand (a descriptor's size): it is read into one buffer
    /// of that size, and a byte more is <see cref="HttpErrorCodes.TooLarge"/>. A shorter body is returned as is.
    /// </summary>
    public long? ExpectedBytes { get; init; }

    /// <summary>
    /// The most bytes of a non-2xx body read (for diagnostics); the rest is cut, never an error. 0 reads none. 64 KiB by default.
    /// </summary>
    public int MaxErrorBodyBytes { get; init; } = Limits.DefaultMaxErrorBodyBytes;

    /// <summary>
    /// Retry this request although its method is not idempotent (RFC 9110 section 9.2.2: POST, PATCH). Set it only where
    /// the protocol makes a repeat harmless (a transparency log answers a duplicate entry with 409; a registry rejects a
    /// repeated chunk range). A non-idempotent request whose connection could not even be opened is retried anyway.
    /// </summary>
    public bool RetryNonIdempotent { get; init; }

    /// <summary>Follow 301, 302, 303, 307 and 308 (at most 5; never from https to http). Credentials never follow to another origin.</summary>
    public bool FollowRedirects { get; init; } = true;

    /// <summary>A deadline for each attempt of this request when it differs from the policy's (a metadata server that must answer at once).</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>The codes for this request's failures, when they differ from the client's.</summary>
    public HttpErrorCodes? Errors { get; init; }
}
