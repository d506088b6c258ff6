using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Signing.Oidc;

/// <summary>
/// The JWT claims (RFC 7519 4.1, OIDC Core 2 and 5.1) an <see cref="IdentityToken"/> reads. Other claims are
/// skipped: a claims set is open (RFC 7519 4.2-4.3 let issuers add any).
/// </summary>
internal sealed class TokenClaimsJson
{
    [JsonPropertyName("iss")]
    public string? Issuer { get; init; }

    [JsonPropertyName("sub")]
    public string? Subject { get; init; }

    /// <summary>RFC 7519 4.1.3: a string or an array of strings.</summary>
    [JsonPropertyName("aud")]
    public JsonElement Audience { get; init; }

    /// <summary>RFC 7519 2: NumericDate, a JSON number of seconds, possibly non-integer (never a string).</summary>
    [JsonPropertyName("exp")]
    public double? ExpiresAt { get; init; }

    [JsonPropertyName("nbf")]
    public double? NotBefore { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    /// <summary>A boolean, or the string "true" some providers (historically AWS Cognito) send.</summary>
    [JsonPropertyName("email_verified")]
    public JsonElement EmailVerified { get; init; }

    [JsonPropertyName("nonce")]
    public string? Nonce { get; init; }
}

/// <summary>
/// Source-generated metadata for identity token claims: numbers strictly as numbers, duplicate claims refused
/// (RFC 7519 4: "JWT parsers MUST either reject JWTs with duplicate Claim Names or use a JSON parser that returns
/// only the lexically last duplicate member name"), depth capped.
/// </summary>
[JsonSourceGenerationOptions(
    MaxDepth = Limits.MaxJsonDepth,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(TokenClaimsJson))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class TokenClaimsJsonContext : JsonSerializerContext
{
}
