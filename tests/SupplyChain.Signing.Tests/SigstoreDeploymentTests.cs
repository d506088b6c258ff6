using SupplyChain.Core.Trust;
using SupplyChain.Signing;

namespace SupplyChain.Signing.Tests;

/// <summary>The public deployments' defaults signcli signs with when no signing config names the services.</summary>
public class SigstoreDeploymentTests
{
    [Fact]
    public void Production_and_staging_name_their_services_and_embedded_trusted_roots()
    {
        Assert.Equal("https://fulcio.sigstore.dev/", SigstoreDeployment.Production.FulcioUrl.AbsoluteUri);
        Assert.Equal("https://rekor.sigstore.dev/", SigstoreDeployment.Production.RekorUrl.AbsoluteUri);
        Assert.Equal("https://oauth2.sigstore.dev/auth", SigstoreDeployment.Production.OidcIssuer.AbsoluteUri);
        Assert.Same(TrustedRoot.Production, SigstoreDeployment.Production.TrustedRoot);
        Assert.Equal("https://fulcio.sigstage.dev/", SigstoreDeployment.Staging.FulcioUrl.AbsoluteUri);
        Assert.Equal("https://rekor.sigstage.dev/", SigstoreDeployment.Staging.RekorUrl.AbsoluteUri);
        Assert.Same(TrustedRoot.Staging, SigstoreDeployment.Staging.TrustedRoot);
        Assert.Equal("sigstore", SigstoreDeployment.Audience);
    }

    [Fact]
    public void Without_a_signing_config_the_deployment_fills_what_is_not_given_and_with_one_nothing()
    {
        var fulcio = new Uri("https://fulcio.example");
        Assert.Equal((fulcio, SigstoreDeployment.Staging.RekorUrl), SigstoreDeployment.Staging.ServiceUrls(null, fulcioUrl: fulcio));
        Assert.Equal((SigstoreDeployment.Production.FulcioUrl, SigstoreDeployment.Production.RekorUrl), SigstoreDeployment.Production.ServiceUrls(null));

        SigningConfig config = SigningConfig.Parse(
            """
            {"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
             "caUrls":[{"url":"https://ca.example","majorApiVersion":1,"validFor":{"start":"2025-01-01T00:00:00Z"}}],"oidcUrls":[],
             "rekorTlogUrls":[{"url":"https://log.example","majorApiVersion":1,"validFor":{"start":"2025-01-01T00:00:00Z"}}],"tsaUrls":[],
             "rekorTlogConfig":{"selector":"ANY"},"tsaConfig":{"selector":"ANY"}}
            """u8);
        Assert.Equal((fulcio, (Uri?)null), SigstoreDeployment.Production.ServiceUrls(config, fulcioUrl: fulcio));
    }
}
