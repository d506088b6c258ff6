using Microsoft.Extensions.Logging;

namespace SupplyChain.Http;

/// <summary>Options of a <see cref="BoundedHttpClient"/>.</summary>
public sealed record BoundedHttpClientOptions
{
    /// <summary>Builds options; <paramref name="errors"/> are the client's own codes for what the layer fails with.</summary>
    /// <param name="errors">The codes.</param>
    public BoundedHttpClientOptions(HttpErrorCodes errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
    }

    /// <summary>The codes for connection failures, timeouts and oversized bodies.</summary>
    public HttpErrorCodes Errors { get; init; }

    /// <summary>
    /// The transport (wrap it to observe requests, or answer in process), or <c>null</c> for a
    /// <see cref="SocketsHttpHandler"/> with pooled connections renewed every 2 minutes, no cookies, no automatic
    /// redirects (the layer follows them itself) and no decompression. The caller disposes a transport it gives.
    /// A given transport should not follow redirects itself.
    /// </summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>How requests are retried and how long each attempt may take.</summary>
    public HttpRetryPolicy Retry { get; init; } = HttpRetryPolicy.Default;

    /// <summary>The clock of attempt timeouts, Retry-After dates and waits.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where request events go (method, host, path, status, attempt, duration; never headers, query strings or
    /// bodies), or <c>null</c> for none. Give the calling library's logger so the events carry its category.
    /// </summary>
    public ILogger? Logger { get; init; }

    /// <summary>The name of the calling client in log events and activities (<c>oci</c>, <c>tuf</c>, <c>fulcio</c>, ...).</summary>
    public string ClientName { get; init; } = "http";

    /// <summary>The User-Agent sent with every request that has none, or <c>null</c>.</summary>
    public string? UserAgent { get; init; }
}
