using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChain.Instance.Oidc;

/// <summary>
/// The instance's OIDC issuer for the local user: ES256 identity tokens for one fixed identity (an email claim with
/// <c>email_verified</c>, <c>sub</c> the same), audience <c>sigstore</c>, 10 minutes; its JWKS and discovery document.
/// No browser and no password: whoever can read the instance directory is the local user. Thread-safe.
/// </summary>
internal sealed class LocalOidcIssuer : IDisposable
{
    /// <summary>Lifetime of minted tokens.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    private readonly ECDsa _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;

    public LocalOidcIssuer(string issuer, string identity, ECDsa key)
    {
        Issuer = issuer;
        Identity = identity;
        _key = key;
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(spki).AsSpan(0, 12).ToArray());
        // IdentityModel's default provider cache is process-wide and keyed by key ID: an instance reopened in the
        // same process would get a provider over the disposed key of the previous one. So no cache.
        var factory = new CryptoProviderFactory { CacheSignatureProviders = false };
        var securityKey = new ECDsaSecurityKey(key) { KeyId = KeyId, CryptoProviderFactory = factory };
        _credentials = new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha256) { CryptoProviderFactory = factory };
        VerificationKey = new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(false))) { KeyId = KeyId, CryptoProviderFactory = factory };
    }

    /// <summary>The <c>iss</c> of minted tokens.</summary>
    public string Issuer { get; }

    /// <summary>The local user's identity (email and <c>sub</c>).</summary>
    public string Identity { get; }

    /// <summary>The JWK key ID.</summary>
    public string KeyId { get; }

    /// <summary>The public key that verifies minted tokens.</summary>
    public SecurityKey VerificationKey { get; }

    /// <summary>Mints a token for the local user, audience <paramref name="audience"/>, valid from <paramref name="now"/>.</summary>
    public string Mint(string audience, DateTimeOffset now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + TokenLifetime).UtcDateTime,
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Identity,
                ["email"] = Identity,
                ["email_verified"] = true,
            },
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>
    /// Mints a simulated CI job token (<see cref="SimulatedCi"/>): issuer <c>{Issuer}/github-actions</c> or
    /// <c>{Issuer}/gitlab-ci</c>, the job's <paramref name="claims"/>, and a <c>sub</c> in the CI's format when the claims
    /// carry none (GitHub <c>repo:OWNER/REPO:ref:REF</c>, GitLab <c>project_path:P:ref_type:T:ref:R</c>).
    /// </summary>
    public string MintCi(SimulatedCiSystem system, System.Text.Json.Nodes.JsonObject claims, string audience, DateTimeOffset now)
    {
        var payload = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, System.Text.Json.Nodes.JsonNode?> claim in SimulatedCi.CheckClaims(claims))
        {
            payload[claim.Key] = claim.Value!.GetValue<string>();
        }

        string Get(string name) => payload.TryGetValue(name, out object? v) ? (string)v : string.Empty;
        if (!payload.ContainsKey("sub"))
        {
            payload["sub"] = system == SimulatedCiSystem.GitHubActions
                ? $"repo:{Get("repository")}:ref:{Get("ref")}"
                : $"project_path:{Get("project_path")}:ref_type:{Get("ref_type")}:ref:{Get("ref")}";
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = SimulatedCi.IssuerFor(Issuer, system),
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + TokenLifetime).UtcDateTime,
            SigningCredentials = _credentials,
            Claims = payload,
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>The JWKS (RFC 7517) with the one ES256 key.</summary>
    public string Jwks()
    {
        ECParameters p = _key.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["use"] = "sig",
                ["alg"] = "ES256",
                ["kid"] = KeyId,
                ["x"] = Base64UrlEncoder.Encode(p.Q.X),
                ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
            }),
        }.ToJsonString();
    }

    /// <summary>OpenID Connect Discovery 1.0 metadata, with the endpoints under <paramref name="baseUrl"/>.</summary>
    /// <param name="baseUrl">Where the caller reached the instance.</param>
    /// <param name="issuer">The issuer the document is for (a simulated CI issuer); the local issuer when null.</param>
    public string Discovery(Uri baseUrl, string? issuer = null)
    {
        string b = baseUrl.AbsoluteUri.TrimEnd('/');
        return new JsonObject
        {
            ["issuer"] = issuer ?? Issuer,
            ["jwks_uri"] = b + "/oidc/jwks",
            ["token_endpoint"] = b + "/oidc/token",
            ["authorization_endpoint"] = b + "/oidc/authorize",
            ["response_types_supported"] = new JsonArray("id_token"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("ES256"),
            ["grant_types_supported"] = new JsonArray("client_credentials"),
            ["claims_supported"] = new JsonArray("iss", "sub", "aud", "exp", "iat", "nbf", "email", "email_verified"),
        }.ToJsonString();
    }

    public void Dispose() => _key.Dispose();
}
