using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace SupplyChain.Core.Tests.Bundles;

/// <summary>Builds structurally valid bundle JSON that a test then breaks in one place.</summary>
internal static class BundleJsonBuilder
{
    private static readonly Lazy<string> CertificateBase64 = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256);
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        return Convert.ToBase64String(cert.RawData);
    });

    public static string Certificate => CertificateBase64.Value;

    public static JsonObject TlogEntry(bool promise = true, bool proof = true) => new()
    {
        ["logIndex"] = "42",
        ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(new byte[32]) },
        ["kindVersion"] = new JsonObject { ["kind"] = "hashedrekord", ["version"] = "0.0.1" },
        ["integratedTime"] = "1700000000",
        ["inclusionPromise"] = promise ? new JsonObject { ["signedEntryTimestamp"] = "MEUCIQ==" } : null,
        ["inclusionProof"] = proof
            ? new JsonObject
            {
                ["logIndex"] = "7",
                ["rootHash"] = Convert.ToBase64String(new byte[32]),
                ["treeSize"] = "8",
                ["hashes"] = new JsonArray(Convert.ToBase64String(new byte[32])),
                ["checkpoint"] = new JsonObject { ["envelope"] = "origin\n8\nAAAA\n\n" },
            }
            : null,
        ["canonicalizedBody"] = Convert.ToBase64String("{}"u8.ToArray()),
    };

    public static JsonObject V03Message() => new()
    {
        ["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.3+json",
        ["verificationMaterial"] = new JsonObject
        {
            ["certificate"] = new JsonObject { ["rawBytes"] = Certificate },
            ["tlogEntries"] = new JsonArray(TlogEntry()),
        },
        ["messageSignature"] = new JsonObject
        {
            ["messageDigest"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(new byte[32]) },
            ["signature"] = "MEUCIQ==",
        },
    };

    public static JsonObject V01Message()
    {
        JsonObject bundle = V03Message();
        bundle["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1";
        JsonObject vm = bundle["verificationMaterial"]!.AsObject();
        vm.Remove("certificate");
        vm["x509CertificateChain"] = new JsonObject { ["certificates"] = new JsonArray(new JsonObject { ["rawBytes"] = Certificate }) };
        return bundle;
    }

    public static JsonObject V03Dsse()
    {
        JsonObject bundle = V03Message();
        bundle.Remove("messageSignature");
        bundle["dsseEnvelope"] = new JsonObject
        {
            ["payload"] = Convert.ToBase64String("{}"u8.ToArray()),
            ["payloadType"] = "application/vnd.in-toto+json",
            ["signatures"] = new JsonArray(new JsonObject { ["sig"] = "MEUCIQ==", ["keyid"] = string.Empty }),
        };
        return bundle;
    }

    public static byte[] Bytes(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
}
