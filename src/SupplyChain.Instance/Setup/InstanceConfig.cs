using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Instance.Setup;

/// <summary>An external OIDC issuer whose tokens the CA accepts, verified with its JWKS from a file or a URL.</summary>
/// <param name="Issuer">The exact <c>iss</c> claim.</param>
/// <param name="JwksFile">A JWKS file (absolute, or relative to the instance directory).</param>
/// <param name="JwksUrl">A JWKS URL (http(s)).</param>
internal sealed record ExternalIssuer(string Issuer, string? JwksFile, Uri? JwksUrl);

/// <summary>
/// The instance's <c>config.json</c>: the local OIDC issuer and identity, the serve port, the log origin, and the
/// external issuers whose tokens are accepted. Parsed strictly: unknown or ill-typed fields are SC8004.
/// </summary>
internal sealed class InstanceConfig
{
    /// <summary>The local issuer: fixed, so bundles and verify commands are the same on every machine.</summary>
    public const string DefaultIssuer = "https://oidc.supplychain.localhost";

    /// <summary>The local user's identity (an email SAN).</summary>
    public const string DefaultIdentity = "local-user@supplychain.localhost";

    /// <summary>The default port of <c>instance serve</c>.</summary>
    public const int DefaultPort = 7391;

    public string Issuer { get; init; } = DefaultIssuer;

    public string Identity { get; init; } = DefaultIdentity;

    public int Port { get; init; } = DefaultPort;

    /// <summary>The checkpoint origin (and signed-note key name) of the transparency log.</summary>
    public required string LogOrigin { get; init; }

    public IReadOnlyList<ExternalIssuer> ExternalIssuers { get; init; } = [];

    /// <summary>The base URL of <c>instance serve</c>.</summary>
    public Uri ServeUrl => new("http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture));

    /// <summary>The file's UTF-8 JSON (indented, as people edit it), like every <c>ToJson</c> of the codebase.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new InstanceConfigJson
        {
            Issuer = Issuer,
            Identity = Identity,
            Port = Port,
            LogOrigin = LogOrigin,
            ExternalIssuers = [.. ExternalIssuers.Select(e => new ExternalIssuerJson { Issuer = e.Issuer, JwksFile = e.JwksFile, JwksUrl = e.JwksUrl?.AbsoluteUri })],
        },
        InstanceConfigJsonContext.Default.InstanceConfigJson);

    public static InstanceConfig Parse(ReadOnlySpan<byte> json)
    {
        InstanceConfigJson root;
        try
        {
            root = JsonSerializer.Deserialize(json, InstanceConfigJsonContext.Default.InstanceConfigJson) ?? throw Invalid("not a JSON object");
        }
        catch (JsonException ex)
        {
            // Not JSON, an unknown field (UnmappedMemberHandling.Disallow), a field of the wrong type, or a duplicate.
            throw InstanceErrors.ConfigurationInvalid.ToException("config.json is not JSON of the config schema", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw InstanceErrors.ConfigurationInvalid.ToException("config.json has an ill-typed field", ex);
        }

        int port = root.Port ?? throw Invalid("port is not an integer");
        return new InstanceConfig
        {
            Issuer = HttpUrl(String(root.Issuer, "issuer"), "issuer").AbsoluteUri.TrimEnd('/'),
            Identity = String(root.Identity, "identity"),
            Port = port is > 0 and <= 65535 ? port : throw Invalid($"port {port} is outside 1-65535"),
            LogOrigin = String(root.LogOrigin, "logOrigin"),
            ExternalIssuers = External(root.ExternalIssuers),
        };
    }

    private static List<ExternalIssuer> External(List<ExternalIssuerJson?>? items)
    {
        var list = new List<ExternalIssuer>();
        foreach (ExternalIssuerJson? item in items ?? [])
        {
            if (item is null)
            {
                throw Invalid("an external issuer is not an object");
            }

            string issuer = String(item.Issuer, "issuer");
            string? file = item.JwksFile;
            string? url = item.JwksUrl;
            if ((file is null) == (url is null))
            {
                throw Invalid($"external issuer '{issuer}' needs exactly one of jwksFile and jwksUrl");
            }

            list.Add(new ExternalIssuer(issuer, file, url is null ? null : HttpUrl(url, "jwksUrl")));
        }

        return list;
    }

    private static string String(string? value, string name) =>
        value is { Length: > 0 } ? value : throw Invalid($"{name} is missing or not a string");

    private static Uri HttpUrl(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" ? url : throw Invalid($"{name} '{text}' is not an http(s) URL");

    private static Core.Errors.SupplyChainException Invalid(string detail) => InstanceErrors.ConfigurationInvalid.ToException("config.json: " + detail);
}

/// <summary>config.json as JSON.</summary>
internal sealed class InstanceConfigJson
{
    [JsonPropertyName("issuer")] public string? Issuer { get; init; }
    [JsonPropertyName("identity")] public string? Identity { get; init; }
    [JsonPropertyName("port")] public int? Port { get; init; }
    [JsonPropertyName("logOrigin")] public string? LogOrigin { get; init; }
    [JsonPropertyName("externalIssuers")] public List<ExternalIssuerJson?>? ExternalIssuers { get; init; }
}

/// <summary>One <c>externalIssuers</c> entry: the issuer and one of <c>jwksFile</c> and <c>jwksUrl</c>.</summary>
internal sealed class ExternalIssuerJson
{
    [JsonPropertyName("issuer")] public string? Issuer { get; init; }
    [JsonPropertyName("jwksFile")] public string? JwksFile { get; init; }
    [JsonPropertyName("jwksUrl")] public string? JwksUrl { get; init; }
}

/// <summary>
/// Source-generated metadata for config.json: unknown fields and duplicates refused (SC8004), numbers strictly as
/// numbers; written indented without absent fields.
/// </summary>
[JsonSourceGenerationOptions(
    MaxDepth = 8,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(InstanceConfigJson))]
internal sealed partial class InstanceConfigJsonContext : JsonSerializerContext
{
}
