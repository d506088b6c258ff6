using Microsoft.Extensions.DependencyInjection;
using SupplyChain.Http;

namespace SupplyChain.Extensions.DependencyInjection;

/// <summary>
/// The named <see cref="System.Net.Http.IHttpClientFactory"/> clients the registrations use; configure them as usual
/// (<c>services.AddHttpClient(SupplyChainHttpClients.Oci).AddHttpMessageHandler(...)</c>) to add handlers, a proxy or
/// certificates. Their primary handler is <see cref="BoundedHttpClient.CreateDefaultTransport"/> (no automatic redirects:
/// SupplyChain.Http follows them itself and drops credentials off-origin), and SupplyChain.Http bounds every read.
/// </summary>
public static class SupplyChainHttpClients
{
    /// <summary>The TUF repository client.</summary>
    public const string Tuf = "SupplyChain.Tuf";

    /// <summary>The OCI registry client.</summary>
    public const string Oci = "SupplyChain.Oci";

    /// <summary>Fulcio, Rekor, the timestamp authority and the OIDC token endpoints.</summary>
    public const string Signing = "SupplyChain.Signing";

    internal static void Add(IServiceCollection services, string name) =>
        services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(() => BoundedHttpClient.CreateDefaultTransport());
}
