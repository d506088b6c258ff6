using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;

namespace SupplyChain.Testing.Virtual;

/// <summary>Writes the protobuf-specs TrustedRoot (sigstore_trustroot.proto) JSON of a <see cref="VirtualSigstore"/>.</summary>
internal static class TrustedRootWriter
{
    public static JsonObject Write(VirtualSigstore sigstore, VirtualSigstoreOptions options)
    {
        TimeRange Default(TimeRange? range) => range ?? new TimeRange(sigstore.Now.AddDays(-30), null);

        var root = new JsonObject
        {
            ["mediaType"] = TrustedRoot.MediaTypeV0_1,
            ["tlogs"] = new JsonArray(
                Log(sigstore.RekorV1.BaseUrl, sigstore.RekorV1.Key, sigstore.RekorV1.LogId, Default(options.RekorV1ValidFor)),
                Log(sigstore.RekorV2.BaseUrl, sigstore.RekorV2.Key, sigstore.RekorV2.LogId, Default(options.RekorV2ValidFor))),
            ["certificateAuthorities"] = new JsonArray(
                Authority("sigstore.virtual", "sigstore-virtual", "https://fulcio.virtual.test", sigstore.CertificateAuthority.Chain, Default(options.CertificateAuthorityValidFor))),
            ["ctlogs"] = new JsonArray(Log(sigstore.CtLog.BaseUrl, sigstore.CtLog.Key, sigstore.CtLog.LogId, Default(options.CtLogValidFor))),
            ["timestampAuthorities"] = sigstore.TimestampMinter is { } tsa
                ? new JsonArray(Authority("sigstore.virtual", "sigstore-virtual-tsa", "https://tsa.virtual.test/api/v1/timestamp", tsa.Chain, Default(options.TimestampAuthorityValidFor)))
                : new JsonArray(),
        };
        return root;
    }

    private static JsonObject Log(string baseUrl, LogKey key, byte[] logId, TimeRange validFor) => new()
    {
        ["baseUrl"] = baseUrl,
        ["hashAlgorithm"] = "SHA2_256",
        ["publicKey"] = new JsonObject
        {
            ["rawBytes"] = Convert.ToBase64String(key.SubjectPublicKeyInfo),
            ["keyDetails"] = key.KeyDetails,
            ["validFor"] = Range(validFor),
        },
        ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(logId) },
    };

    private static JsonObject Authority(string organization, string commonName, string uri, IReadOnlyList<X509Certificate2> chain, TimeRange validFor)
    {
        var certificates = new JsonArray();
        foreach (X509Certificate2 certificate in chain)
        {
            certificates.Add(new JsonObject { ["rawBytes"] = Convert.ToBase64String(certificate.RawData) });
        }

        return new JsonObject
        {
            ["subject"] = new JsonObject { ["organization"] = organization, ["commonName"] = commonName },
            ["uri"] = uri,
            ["certChain"] = new JsonObject { ["certificates"] = certificates },
            ["validFor"] = Range(validFor),
        };
    }

    private static JsonObject Range(TimeRange range)
    {
        var node = new JsonObject { ["start"] = Format(range.Start) };
        if (range.End is { } end)
        {
            node["end"] = Format(end);
        }

        return node;
    }

    private static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
