using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChain.Instance.Tests.Services;

/// <summary>An external issuer whose JWKS is fetched over real HTTP (a Kestrel IdP stand-in on 127.0.0.1); an unreachable JWKS is SC8025 (502).</summary>
public sealed class ExternalJwksUrlTests : IAsyncLifetime, IDisposable
{
    private const string Issuer = "https://idp.url.example";
    private readonly ECDsa _idpKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WebApplication _idp = null!;
    private Uri _jwksUrl = null!;

    public async Task InitializeAsync()
    {
        ECParameters p = _idpKey.ExportParameters(false);
        string jwks = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = "k1", ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y) }),
        }.ToJsonString();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _idp = builder.Build();
        _idp.Run(context => context.Request.Path == "/jwks" ? context.Response.WriteAsync(jwks) : Task.FromResult(context.Response.StatusCode = 404));
        await _idp.StartAsync();
        _jwksUrl = new Uri(new Uri(_idp.Urls.First()), "/jwks");
    }

    public async Task DisposeAsync() => await _idp.DisposeAsync();

    public void Dispose() => _idpKey.Dispose();

    private TempInstance WithIssuer(Uri jwksUrl) => new(directory =>
    {
        string path = Path.Combine(directory, "config.json");
        JsonNode config = JsonNode.Parse(File.ReadAllText(path))!;
        config["externalIssuers"] = new JsonArray(new JsonObject { ["issuer"] = Issuer, ["jwksUrl"] = jwksUrl.AbsoluteUri });
        File.WriteAllText(path, config.ToJsonString());
    });

    private string Token()
    {
        DateTime now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = "sigstore",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "https://ci.url.example/job/1" },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_idpKey) { KeyId = "k1", CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static async Task<(int Status, string? Code)> Certify(TempInstance temp, string token)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new JsonObject
        {
            ["credentials"] = new JsonObject { ["oidcIdentityToken"] = token },
            ["publicKeyRequest"] = new JsonObject
            {
                ["publicKey"] = new JsonObject { ["content"] = key.ExportSubjectPublicKeyInfoPem() },
                ["proofOfPossession"] = Convert.ToBase64String(key.SignData("https://ci.url.example/job/1"u8, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            },
        };
        Http.InstanceResponse response = await temp.Instance.Router.HandleAsync("POST", "/api/v2/signingCert", "application/json", System.Text.Encoding.UTF8.GetBytes(request.ToJsonString()), new Uri("http://127.0.0.1"), CancellationToken.None);
        return (response.Status, response.Status == 200 ? null : (string?)JsonNode.Parse(response.Body)!["code"]);
    }

    [Fact]
    public async Task A_token_verified_with_a_jwks_fetched_over_http_is_certified()
    {
        using TempInstance temp = WithIssuer(_jwksUrl);
        Assert.Equal((200, null), await Certify(temp, Token()));
    }

    [Fact]
    public async Task An_unreachable_or_missing_jwks_is_sc8025_not_a_500()
    {
        using (TempInstance temp = WithIssuer(new Uri(_jwksUrl, "/missing")))
        {
            Assert.Equal((502, "SC8025"), await Certify(temp, Token()));
        }

        using (TempInstance temp = WithIssuer(new Uri("http://127.0.0.1:1/jwks")))
        {
            Assert.Equal((502, "SC8025"), await Certify(temp, Token()));
        }
    }
}
