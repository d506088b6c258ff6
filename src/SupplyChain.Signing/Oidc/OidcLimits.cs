namespace SupplyChain.Signing.Oidc;

/// <summary>Limits on what the OIDC providers read from the network, files and processes.</summary>
internal static class OidcLimits
{
    /// <summary>The longest identity token accepted (real ones are 1-4 KiB).</summary>
    public const int MaxTokenLength = 64 * 1024;

    /// <summary>The largest JSON response (discovery document, token response) read from an endpoint.</summary>
    public const int MaxResponseBytes = 256 * 1024;

    /// <summary>The largest request the loopback redirect listener reads.</summary>
    public const int MaxCallbackQueryLength = 16 * 1024;
}
