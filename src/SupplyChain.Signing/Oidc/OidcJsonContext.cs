using System.Text.Json.Serialization;

namespace SupplyChain.Signing.Oidc;

/// <summary>OIDC Discovery 1.0 section 3: the provider metadata the flows use.</summary>
internal sealed class DiscoveryJson
{
    [JsonPropertyName("issuer")]
    public string? Issuer { get; init; }

    [JsonPropertyName("authorization_endpoint")]
    public string? AuthorizationEndpoint { get; init; }

    [JsonPropertyName("token_endpoint")]
    public string? TokenEndpoint { get; init; }

    [JsonPropertyName("device_authorization_endpoint")]
    public string? DeviceAuthorizationEndpoint { get; init; }
}

/// <summary>A token endpoint answer: RFC 6749 5.1 (with OIDC Core 3.1.3.3's id_token) or 5.2 (error).</summary>
internal sealed class TokenResponseJson
{
    [JsonPropertyName("id_token")]
    public string? IdToken { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

/// <summary>RFC 8628 3.2: the device authorization answer (or an RFC 6749 5.2 error).</summary>
internal sealed class DeviceAuthorizationJson
{
    [JsonPropertyName("device_code")]
    public string? DeviceCode { get; init; }

    [JsonPropertyName("user_code")]
    public string? UserCode { get; init; }

    [JsonPropertyName("verification_uri")]
    public string? VerificationUri { get; init; }

    [JsonPropertyName("verification_uri_complete")]
    public string? VerificationUriComplete { get; init; }

    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; init; }

    [JsonPropertyName("interval")]
    public long? Interval { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

/// <summary>The GitHub Actions token answer: <c>{"value": "&lt;jwt&gt;"}</c>.</summary>
internal sealed class GitHubTokenJson
{
    [JsonPropertyName("value")]
    public string? Value { get; init; }
}

/// <summary>Source-generated JSON metadata for the OIDC providers (numbers also accepted as strings, as lenient providers send them).</summary>
[JsonSourceGenerationOptions(MaxDepth = Limits.MaxJsonDepth, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(DiscoveryJson))]
[JsonSerializable(typeof(TokenResponseJson))]
[JsonSerializable(typeof(DeviceAuthorizationJson))]
[JsonSerializable(typeof(GitHubTokenJson))]
internal sealed partial class OidcJsonContext : JsonSerializerContext
{
}
