using SupplyChain.Core.Trust;
using SupplyChain.Signing.Services;

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

    /// <summary>The HTTP client to use; when <see langword="null"/>, one is made over <see cref="HttpHandler"/>.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The HTTP handler for the client the signer makes (tests inject stubs here).</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Timeouts and retries.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
