using Microsoft.Extensions.Logging;
using SupplyChain.Core.Trust;
using SupplyChain.Http;

namespace SupplyChain.Signing.Bundles;

/// <summary>
/// Options of <see cref="BundleSigner"/>: the trusted root every produced bundle is verified against, where the
/// services are (a signing config, or explicit URLs that override it), and the transport.
/// </summary>
public sealed class BundleSignerOptions
{
    /// <summary>The trusted material the produced bundles must verify against (required).</summary>
    public ITrustedMaterial? TrustedMaterial { get; init; }

    /// <summary>Where the services are (signing config v0.2); explicit URLs below override it per service.</summary>
    public SigningConfig? SigningConfig { get; init; }

    /// <summary>The Fulcio base URL (overrides the signing config).</summary>
    public Uri? FulcioUrl { get; init; }

    /// <summary>The Rekor base URL (overrides the signing config).</summary>
    public Uri? RekorUrl { get; init; }

    /// <summary>The RFC 3161 timestamp URL, the full endpoint such as <c>https://timestamp.sigstore.dev/api/v1/timestamp</c> (overrides the signing config).</summary>
    public Uri? TimestampAuthorityUrl { get; init; }

    /// <summary>The Rekor API major version (1 or 2); <see langword="null"/> picks the highest the signing config offers (1 with an explicit URL).</summary>
    public int? RekorVersion { get; init; }

    /// <summary>Whether an RFC 3161 timestamp is required even with Rekor v1 (always required with Rekor v2).</summary>
    public bool RequireTimestamp { get; init; }

    /// <summary>Whether to ask Fulcio with a PKCS#10 CSR instead of a public key and proof of possession.</summary>
    public bool UseCertificateSigningRequest { get; init; }

    /// <summary>The clock (service validity, retry delays and timeouts).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The HTTP transport (a local instance's in-process handler, a stub in tests), or <see langword="null"/> for a
    /// pooled <see cref="SocketsHttpHandler"/> (<see cref="BoundedHttpClient.CreateDefaultTransport"/>). The caller disposes it.
    /// </summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>
    /// Timeouts and retries of the requests to Fulcio, Rekor and the TSA: three attempts of 10 s each (headers and
    /// body together), waits drawn below 0.5 s then 1 s, at most 30 s each and 60 s in all, by default.
    /// </summary>
    public HttpRetryPolicy Retry { get; init; } = DefaultRetry;

    /// <summary>Where the signer logs its requests (method, host, path, status, attempt, duration; never tokens or bodies), or <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The default of <see cref="Retry"/>.</summary>
    public static HttpRetryPolicy DefaultRetry { get; } = HttpRetryPolicy.Default with
    {
        MaxAttempts = 3,
        MaxDelay = TimeSpan.FromSeconds(30),
        MaxTotalDelay = TimeSpan.FromSeconds(60),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };
}
