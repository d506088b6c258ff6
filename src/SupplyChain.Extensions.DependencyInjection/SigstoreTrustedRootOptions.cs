using SupplyChain.Tuf;

namespace SupplyChain.Extensions.DependencyInjection;

/// <summary>
/// Where the application's Sigstore trusted root comes from (bind it from configuration or set it in code): a mounted
/// <c>trusted_root.json</c> (<see cref="TrustedRootPath"/>), the copy embedded for Sigstore production or staging
/// (<see cref="Offline"/>), or by default the TUF repository, refreshed in the background. Validated when the host starts
/// (SC3072 in the message).
/// </summary>
public sealed class SigstoreTrustedRootOptions
{
    /// <summary>A <c>trusted_root.json</c> file, re-read when it changes; <see langword="null"/> for TUF.</summary>
    public string? TrustedRootPath { get; set; }

    /// <summary>The TUF repository; <see cref="TufClientOptions.ProductionUrl"/> by default (or <see cref="TufClientOptions.StagingUrl"/>).</summary>
    public Uri TufRepositoryUrl { get; set; } = TufClientOptions.ProductionUrl;

    /// <summary>The TUF initial <c>root.json</c>; required for a repository other than Sigstore's production or staging (whose roots are embedded).</summary>
    public string? TufInitialRootPath { get; set; }

    /// <summary>The TUF metadata cache directory; <see langword="null"/> keeps the cache in memory.</summary>
    public string? TufCacheDirectory { get; set; }

    /// <summary>Use the trusted root embedded for <see cref="TufRepositoryUrl"/> (production or staging) and never go online.</summary>
    public bool Offline { get; set; }

    /// <summary>How long a trusted root fetched from TUF is used before it is fetched again. Default 24 hours.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How soon a failed fetch is retried. Default 1 minute.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the hosted service asks the source (it contacts the repository only when due). Default 1 minute.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}
