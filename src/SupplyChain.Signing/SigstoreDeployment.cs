using SupplyChain.Core.Trust;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing;

/// <summary>
/// A public Sigstore deployment: where its Fulcio and Rekor (v1) are, its OIDC issuer, and the trusted root its bundles
/// verify against (the one embedded in SupplyChain.Core). These are the defaults cosign and sigstore-python sign with
/// when no signing config names the services; with a signing config (<c>signing_config.v0.2.json</c>, from the
/// deployment's TUF repository) the config is the authority and these URLs are not used.
/// </summary>
public sealed class SigstoreDeployment
{
    /// <summary>The audience Fulcio requires in an identity token.</summary>
    public const string Audience = "sigstore";

    private SigstoreDeployment(string name, Uri fulcioUrl, Uri rekorUrl, Uri oidcIssuer, Func<TrustedRoot> trustedRoot)
    {
        Name = name;
        FulcioUrl = fulcioUrl;
        RekorUrl = rekorUrl;
        OidcIssuer = oidcIssuer;
        _trustedRoot = trustedRoot;
    }

    private readonly Func<TrustedRoot> _trustedRoot;

    /// <summary>The public-good production deployment (<c>fulcio.sigstore.dev</c>, <c>rekor.sigstore.dev</c>).</summary>
    public static SigstoreDeployment Production { get; } = new(
        "production",
        new Uri("https://fulcio.sigstore.dev"),
        new Uri("https://rekor.sigstore.dev"),
        OidcClientOptions.SigstoreIssuer,
        () => TrustedRoot.Production);

    /// <summary>The staging deployment (<c>fulcio.sigstage.dev</c>, <c>rekor.sigstage.dev</c>), for testing clients.</summary>
    public static SigstoreDeployment Staging { get; } = new(
        "staging",
        new Uri("https://fulcio.sigstage.dev"),
        new Uri("https://rekor.sigstage.dev"),
        new Uri("https://oauth2.sigstage.dev/auth"),
        () => TrustedRoot.Staging);

    /// <summary><c>production</c> or <c>staging</c>.</summary>
    public string Name { get; }

    /// <summary>The Fulcio base URL.</summary>
    public Uri FulcioUrl { get; }

    /// <summary>The Rekor v1 base URL.</summary>
    public Uri RekorUrl { get; }

    /// <summary>The deployment's OIDC issuer (Dex), for the browser and device flows.</summary>
    public Uri OidcIssuer { get; }

    /// <summary>The deployment's trusted root as embedded in SupplyChain.Core (refresh it through TUF in long-running programs).</summary>
    public TrustedRoot TrustedRoot => _trustedRoot();

    /// <summary>
    /// The service URLs a signer uses: with a signing config, only the explicit URLs (the config names the rest); without
    /// one, the explicit URLs else this deployment's Fulcio and Rekor (no timestamp authority: Rekor v1's signed entry
    /// timestamp is the time evidence, as cosign does).
    /// </summary>
    /// <param name="signingConfig">The signing config, or <see langword="null"/>.</param>
    /// <param name="fulcioUrl">An explicit Fulcio URL, or <see langword="null"/>.</param>
    /// <param name="rekorUrl">An explicit Rekor URL, or <see langword="null"/>.</param>
    /// <returns>The Fulcio and Rekor URLs for <see cref="Bundles.BundleSignerOptions"/> (either may be <see langword="null"/> with a signing config).</returns>
    public (Uri? FulcioUrl, Uri? RekorUrl) ServiceUrls(SigningConfig? signingConfig, Uri? fulcioUrl = null, Uri? rekorUrl = null) =>
        signingConfig is null ? (fulcioUrl ?? FulcioUrl, rekorUrl ?? RekorUrl) : (fulcioUrl, rekorUrl);
}
