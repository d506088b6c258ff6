using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    public string ToJson()
    {
        var external = new JsonArray();
        foreach (ExternalIssuer e in ExternalIssuers)
        {
            var node = new JsonObject { ["issuer"] = e.Issuer };
            if (e.JwksFile is not null)
            {
                node["jwksFile"] = e.JwksFile;
            }

            if (e.JwksUrl is not null)
            {
                node["jwksUrl"] = e.JwksUrl.AbsoluteUri;
            }

            external.Add((JsonNode)node);
        }

        return new JsonObject
        {
            ["issuer"] = Issuer,
            ["identity"] = Identity,
            ["port"] = Port,
            ["logOrigin"] = LogOrigin,
            ["externalIssuers"] = external,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static InstanceConfig Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root)
            {
                throw Invalid("not a JSON object");
            }

            foreach (KeyValuePair<string, JsonNode?> pair in root)
            {
                if (pair.Key is not ("issuer" or "identity" or "port" or "logOrigin" or "externalIssuers"))
                {
                    throw Invalid($"unknown field '{pair.Key}'");
                }
            }

            int port = root["port"] is JsonValue p && p.TryGetValue(out int value) ? value : throw Invalid("port is not an integer");
            var config = new InstanceConfig
            {
                Issuer = HttpUrl(String(root, "issuer"), "issuer").AbsoluteUri.TrimEnd('/'),
                Identity = String(root, "identity"),
                Port = port is > 0 and <= 65535 ? port : throw Invalid($"port {port} is outside 1-65535"),
                LogOrigin = String(root, "logOrigin"),
                ExternalIssuers = External(root["externalIssuers"]),
            };
            return config;
        }
        catch (JsonException ex)
        {
            throw InstanceErrors.ConfigurationInvalid.ToException("config.json is not JSON", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw InstanceErrors.ConfigurationInvalid.ToException("config.json has an ill-typed field", ex);
        }
    }

    private static List<ExternalIssuer> External(JsonNode? node)
    {
        var list = new List<ExternalIssuer>();
        if (node is null)
        {
            return list;
        }

        if (node is not JsonArray array)
        {
            throw Invalid("externalIssuers is not an array");
        }

        foreach (JsonNode? item in array)
        {
            if (item is not JsonObject o)
            {
                throw Invalid("an external issuer is not an object");
            }

            string issuer = String(o, "issuer");
            string? file = o["jwksFile"]?.GetValue<string>();
            string? url = o["jwksUrl"]?.GetValue<string>();
            if ((file is null) == (url is null))
            {
                throw Invalid($"external issuer '{issuer}' needs exactly one of jwksFile and jwksUrl");
            }

            list.Add(new ExternalIssuer(issuer, file, url is null ? null : HttpUrl(url, "jwksUrl")));
        }

        return list;
    }

    private static string String(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : throw Invalid($"{name} is missing or not a string");

    private static Uri HttpUrl(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" ? url : throw Invalid($"{name} '{text}' is not an http(s) URL");

    private static Core.Errors.SupplyChainException Invalid(string detail) => InstanceErrors.ConfigurationInvalid.ToException("config.json: " + detail);
}
