using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Instance.Tests.Services;

/// <summary>Tokens of an external issuer configured with a JWKS file (a team's own IdP): certified with that issuer; unknown keys and unverified emails fail.</summary>
public sealed class ExternalIssuerTests : IDisposable
{
    private const string ExternalIssuer = "https://idp.team.example";
    private readonly RSA _idpKey = RSA.Create(2048);
    private readonly TempInstance _temp;

    public ExternalIssuerTests()
    {
        _temp = new TempInstance(directory =>
        {
            RSAParameters p = _idpKey.ExportParameters(false);
            var jwks = new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject { ["kty"] = "RSA", ["kid"] = "team-1", ["use"] = "sig", ["alg"] = "RS256", ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) }),
            };
            File.WriteAllText(Path.Combine(directory, "team-jwks.json"), jwks.ToJsonString());
            string configPath = Path.Combine(directory, "config.json");
            JsonNode config = JsonNode.Parse(File.ReadAllText(configPath))!;
            config["externalIssuers"] = new JsonArray(new JsonObject { ["issuer"] = ExternalIssuer, ["jwksFile"] = "team-jwks.json" });
            File.WriteAllText(configPath, config.ToJsonString());
        });
    }

    public void Dispose()
    {
        _temp.Dispose();
        _idpKey.Dispose();
    }

    private string Token(RSA key, Dictionary<string, object> claims)
    {
        DateTime now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ExternalIssuer,
            Audience = "sigstore",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "team-1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private BundleSigner Signer() => new(new BundleSignerOptions
    {
        TrustedMaterial = _temp.Instance.LoadTrustedRoot(),
        SigningConfig = _temp.Instance.LoadSigningConfig(),
        HttpHandler = _temp.Instance.CreateHttpHandler(),
    });

    [Fact]
    public async Task A_token_of_a_configured_issuer_is_certified_for_its_email_and_issuer()
    {
        IdentityToken token = IdentityToken.Parse(Token(_idpKey, new() { ["sub"] = "u-42", ["email"] = "dev@team.example", ["email_verified"] = true }));
        using BundleSigner signer = Signer();
        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(LocalVerification.Artifact), token)).ToJson();
        LocalVerification.Verify(_temp.Instance.LoadTrustedRoot(), bundle, "dev@team.example", ExternalIssuer);
    }

    [Fact]
    public async Task A_uri_subject_without_email_is_certified_as_a_uri()
    {
        IdentityToken token = IdentityToken.Parse(Token(_idpKey, new() { ["sub"] = "https://ci.team.example/pipelines/7" }));
        using BundleSigner signer = Signer();
        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(LocalVerification.Artifact), token)).ToJson();
        LocalVerification.Verify(_temp.Instance.LoadTrustedRoot(), bundle, "https://ci.team.example/pipelines/7", ExternalIssuer);
    }

    [Fact]
    public async Task A_token_signed_by_a_key_outside_the_jwks_or_without_a_certifiable_identity_is_refused()
    {
        using var stranger = RSA.Create(2048);
        Assert.Equal("SC8020", await FulcioCode(Token(stranger, new() { ["sub"] = "https://ci.team.example/x" })));
        Assert.Equal("SC8024", await FulcioCode(Token(_idpKey, new() { ["sub"] = "u-42" })));
        Assert.Equal("SC8024", await FulcioCode(Token(_idpKey, new() { ["sub"] = "u-42", ["email"] = "dev@team.example", ["email_verified"] = false })));

        // Through the signer the refusal is the client's SC2201 (HTTP 401).
        using BundleSigner signer = Signer();
        IdentityToken forged = IdentityToken.Parse(Token(stranger, new() { ["sub"] = "https://ci.team.example/x" }));
        SupplyChainException ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => signer.SignMessageAsync(new MemoryStream(LocalVerification.Artifact), forged));
        Assert.Equal("SC2201", ex.Code);
    }

    private async Task<string?> FulcioCode(string token)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new JsonObject
        {
            ["credentials"] = new JsonObject { ["oidcIdentityToken"] = token },
            ["publicKeyRequest"] = new JsonObject
            {
                ["publicKey"] = new JsonObject { ["content"] = key.ExportSubjectPublicKeyInfoPem() },
                ["proofOfPossession"] = Convert.ToBase64String(key.SignData("u-42"u8, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            },
        };
        Http.InstanceResponse response = await _temp.Instance.Router.HandleAsync("POST", "/api/v2/signingCert", "application/json", System.Text.Encoding.UTF8.GetBytes(request.ToJsonString()), new Uri("http://127.0.0.1"), CancellationToken.None);
        Assert.Equal(401, response.Status);
        return (string?)JsonNode.Parse(response.Body)!["code"];
    }
}
