using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Instance.Tests.Services;

/// <summary>The served instance over real HTTP on 127.0.0.1: our BundleSigner signs against it, the token, discovery and tile endpoints answer.</summary>
public sealed class ServedSigningTests
{
    [Fact]
    public async Task Bundle_signer_signs_over_loopback_http_with_a_token_from_the_token_endpoint()
    {
        await using ServedInstance served = await ServedInstance.StartAsync();
        using var http = new HttpClient();
        JsonNode tokenResponse = (await http.PostAsync(new Uri(served.Url, "oidc/token"), null).ContinueWith(t => t.Result.Content.ReadFromJsonAsync<JsonNode>()).Unwrap())!;
        IdentityToken token = IdentityToken.Parse((string)tokenResponse["id_token"]!);
        Assert.Equal(LocalVerification.Identity, token.Subject);

        using var signer = new BundleSigner(new BundleSignerOptions
        {
            TrustedMaterial = served.Temp.Instance.LoadTrustedRoot(),
            SigningConfig = served.SigningConfig,
        });
        byte[] message = (await signer.SignMessageAsync(new MemoryStream(LocalVerification.Artifact), token)).ToJson();
        byte[] dsse = (await signer.SignDsseAsync("application/vnd.in-toto+json", LocalVerification.Statement(LocalVerification.Artifact), token)).ToJson();
        LocalVerification.Verify(served.Temp.Instance.LoadTrustedRoot(), message);
        LocalVerification.Verify(served.Temp.Instance.LoadTrustedRoot(), dsse);
        Assert.Equal(2, served.Temp.Instance.LogSize);

        // The checkpoint and the entry tile are served as tlog-tiles resources.
        string checkpoint = await http.GetStringAsync(new Uri(served.Url, "checkpoint"));
        Assert.StartsWith(served.Temp.Instance.LoadTrustedRoot().TransparencyLogs[0].OriginHostname + "\n2\n", checkpoint, StringComparison.Ordinal);
        byte[] entries = await http.GetByteArrayAsync(new Uri(served.Url, "tile/entries/000.p/2"));
        Assert.True(entries.Length > 100);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(served.Url, "tile/entries/000.p/3"))).StatusCode);
    }

    [Fact]
    public async Task Discovery_and_jwks_describe_the_local_issuer()
    {
        await using ServedInstance served = await ServedInstance.StartAsync();
        using var http = new HttpClient();
        JsonNode discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(served.Url, ".well-known/openid-configuration")))!;
        Assert.Equal(LocalVerification.Issuer, (string?)discovery["issuer"]);
        Assert.Equal(new Uri(served.Url, "oidc/jwks").AbsoluteUri, (string?)discovery["jwks_uri"]);
        JsonNode jwks = JsonNode.Parse(await http.GetStringAsync(new Uri(served.Url, "oidc/jwks")))!;
        Assert.Equal("ES256", (string?)jwks["keys"]![0]!["alg"]);
        string chain = await http.GetStringAsync(new Uri(served.Url, "api/v1/timestamp/certchain"));
        Assert.Equal(2, chain.Split("BEGIN CERTIFICATE").Length - 1);
    }
}
