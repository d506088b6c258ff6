using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Signing.Keys;

/// <summary>
/// go-securesystemslib <c>encrypted</c> envelope: <c>{"kdf":..,"cipher":..,"ciphertext":..}</c>. Every member is
/// required (a missing one is SC2001, as before); members the format does not define are skipped, as Go's
/// encoding/json skips them.
/// </summary>
internal sealed class CosignKeyEnvelopeJson
{
    [JsonPropertyName("kdf")]
    [JsonRequired]
    public CosignKdfJson? Kdf { get; init; }

    [JsonPropertyName("cipher")]
    [JsonRequired]
    public CosignCipherJson? Cipher { get; init; }

    [JsonPropertyName("ciphertext")]
    [JsonRequired]
    public string? Ciphertext { get; init; }
}

/// <summary>The scrypt KDF: name, params and base64 salt.</summary>
internal sealed class CosignKdfJson
{
    [JsonPropertyName("name")]
    [JsonRequired]
    public string? Name { get; init; }

    [JsonPropertyName("params")]
    [JsonRequired]
    public CosignScryptParamsJson? Params { get; init; }

    [JsonPropertyName("salt")]
    [JsonRequired]
    public string? Salt { get; init; }
}

/// <summary>
/// scrypt N, r, p. Kept as JSON values: a number that is not a 32-bit integer (1e300, 32768.5) is a rejected
/// parameter (SC2005), not a malformed document.
/// </summary>
internal sealed class CosignScryptParamsJson
{
    [JsonPropertyName("N")]
    [JsonRequired]
    public JsonElement N { get; init; }

    [JsonPropertyName("r")]
    [JsonRequired]
    public JsonElement R { get; init; }

    [JsonPropertyName("p")]
    [JsonRequired]
    public JsonElement P { get; init; }
}

/// <summary>The secretbox cipher: name and base64 nonce.</summary>
internal sealed class CosignCipherJson
{
    [JsonPropertyName("name")]
    [JsonRequired]
    public string? Name { get; init; }

    [JsonPropertyName("nonce")]
    [JsonRequired]
    public string? Nonce { get; init; }
}

/// <summary>Source-generated metadata for cosign's encrypted key document: depth 8, duplicate members refused.</summary>
[JsonSourceGenerationOptions(
    MaxDepth = 8,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(CosignKeyEnvelopeJson))]
internal sealed partial class CosignKeyFileJsonContext : JsonSerializerContext
{
}
