namespace SupplyChain.Extensions.DependencyInjection;

/// <summary>
/// The registered <see cref="Signing.Bundles.BundleSigner"/>'s services: Sigstore production (the default) or staging,
/// explicit URLs, or a signing config file (which then names the services, <see cref="Signing.SigstoreDeployment.ServiceUrls"/>).
/// </summary>
public sealed class SigstoreSignerOptions
{
    /// <summary>Use Sigstore staging instead of production (services and embedded trusted root).</summary>
    public bool Staging { get; set; }

    /// <summary>A <c>signing_config.json</c> (v0.2) naming the services; <see langword="null"/> for the deployment's Fulcio and Rekor.</summary>
    public string? SigningConfigPath { get; set; }

    /// <summary>The Fulcio URL (overrides the signing config or the deployment).</summary>
    public Uri? FulcioUrl { get; set; }

    /// <summary>The Rekor URL (overrides the signing config or the deployment).</summary>
    public Uri? RekorUrl { get; set; }

    /// <summary>The RFC 3161 timestamp URL (overrides the signing config).</summary>
    public Uri? TimestampAuthorityUrl { get; set; }

    /// <summary>The Rekor API version (1 or 2); <see langword="null"/> for the highest the signing config offers, else 1.</summary>
    public int? RekorVersion { get; set; }
}
