using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;

namespace SupplyChain.Instance.Setup;

/// <summary>
/// Writes the instance's <c>trusted_root.json</c> (protobuf-specs TrustedRoot v0.1: the CA chain, the CT log, the
/// Rekor v2 log with its Ed25519 key and the signed-note key ID as log ID, the TSA chain) and
/// <c>signing_config.json</c> (v0.2: the served URLs).
/// </summary>
internal static class TrustDocuments
{
    private const string Operator = "supplychain.localhost";

    /// <summary>The trusted root. The log's base URL is <c>https://ORIGIN</c>: verifiers match the checkpoint's key name to it.</summary>
    public static string TrustedRoot(
        IReadOnlyList<X509Certificate2> caChain,
        byte[] ctPublicKey,
        string logOrigin,
        byte[] logPublicKeySpki,
        byte[] logId,
        IReadOnlyList<X509Certificate2> tsaChain,
        DateTimeOffset start)
    {
        JsonObject validFor = Range(start);
        var root = new JsonObject
        {
            ["mediaType"] = Core.Trust.TrustedRoot.MediaTypeV0_1,
            ["tlogs"] = new JsonArray(new JsonObject
            {
                ["baseUrl"] = "https://" + logOrigin,
                ["hashAlgorithm"] = "SHA2_256",
                ["publicKey"] = new JsonObject
                {
                    ["rawBytes"] = Convert.ToBase64String(logPublicKeySpki),
                    ["keyDetails"] = "PKIX_ED25519",
                    ["validFor"] = validFor.DeepClone(),
                },
                ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(logId) },
            }),
            ["certificateAuthorities"] = new JsonArray(Authority("supplychain-local", "https://fulcio.supplychain.localhost", caChain, validFor)),
            ["ctlogs"] = new JsonArray(new JsonObject
            {
                ["baseUrl"] = "https://ctfe.supplychain.localhost",
                ["hashAlgorithm"] = "SHA2_256",
                ["publicKey"] = new JsonObject
                {
                    ["rawBytes"] = Convert.ToBase64String(ctPublicKey),
                    ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                    ["validFor"] = validFor.DeepClone(),
                },
                ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(ctPublicKey)) },
            }),
            ["timestampAuthorities"] = new JsonArray(Authority("supplychain-local-tsa", "https://tsa.supplychain.localhost/api/v1/timestamp", tsaChain, validFor)),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The signing config: Fulcio v1 API path family (<c>/api/v2/signingCert</c> is Fulcio API v1's REST form), Rekor v2, the TSA, the OIDC issuer.</summary>
    public static string SigningConfig(Uri serveUrl, DateTimeOffset start)
    {
        string b = serveUrl.AbsoluteUri.TrimEnd('/');
        JsonObject Service(string url, int version) => new()
        {
            ["url"] = url,
            ["majorApiVersion"] = version,
            ["validFor"] = Range(start),
            ["operator"] = Operator,
        };

        return new JsonObject
        {
            ["mediaType"] = Core.Trust.SigningConfig.MediaTypeV0_2,
            ["caUrls"] = new JsonArray(Service(b, 1)),
            ["oidcUrls"] = new JsonArray(Service(b, 1)),
            ["rekorTlogUrls"] = new JsonArray(Service(b, 2)),
            ["tsaUrls"] = new JsonArray(Service(b + "/api/v1/timestamp", 1)),
            ["rekorTlogConfig"] = new JsonObject { ["selector"] = "ANY" },
            ["tsaConfig"] = new JsonObject { ["selector"] = "ANY" },
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Authority(string commonName, string uri, IReadOnlyList<X509Certificate2> chain, JsonObject validFor)
    {
        var certificates = new JsonArray();
        foreach (X509Certificate2 certificate in chain)
        {
            certificates.Add((JsonNode)new JsonObject { ["rawBytes"] = Convert.ToBase64String(certificate.RawData) });
        }

        return new JsonObject
        {
            ["subject"] = new JsonObject { ["organization"] = Operator, ["commonName"] = commonName },
            ["uri"] = uri,
            ["certChain"] = new JsonObject { ["certificates"] = certificates },
            ["validFor"] = validFor.DeepClone(),
        };
    }

    private static JsonObject Range(DateTimeOffset start) =>
        new() { ["start"] = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };
}
