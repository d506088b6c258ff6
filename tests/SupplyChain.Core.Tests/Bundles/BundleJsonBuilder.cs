using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Core.Tests.Bundles;

/// <summary>
/// Builds structurally valid bundles with the typed model and hands them over as JSON that a test then breaks in one
/// place (the model itself refuses to build a broken bundle).
/// </summary>
internal static class BundleJsonBuilder
{
    private static readonly Lazy<byte[]> CertificateDer = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256);
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        return cert.RawData;
    });

    private static readonly byte[] Signature = Convert.FromBase64String("MEUCIQ==");

    public static string Certificate => Convert.ToBase64String(CertificateDer.Value);

    /// <summary>An entry at index 42 of a tree of 8 (proof index 7), with promise and proof as asked.</summary>
    public static TransparencyLogEntry Entry(bool promise = true, bool proof = true) => new(
        42,
        new byte[32],
        "hashedrekord",
        "0.0.1",
        1700000000,
        promise ? Signature : null,
        proof ? new InclusionProof(7, new byte[32], 8, [new byte[32]], "origin\n8\nAAAA\n\n") : null,
        "{}"u8.ToArray());

    /// <summary>The JSON of <see cref="Entry"/>, cut out of a bundle whose version admits it.</summary>
    public static JsonObject TlogEntry(bool promise = true, bool proof = true)
    {
        BundleVersion version = promise ? BundleVersion.V0_1 : BundleVersion.V0_3;
        var material = version == BundleVersion.V0_3
            ? VerificationMaterial.ForCertificate(CertificateDer.Value, [Entry(promise, proof)])
            : VerificationMaterial.ForCertificateChain([CertificateDer.Value], [Entry(promise, proof)]);
        JsonObject bundle = Json(new SigstoreBundle(BundleMediaTypes.For(version), material, Message()));
        return bundle["verificationMaterial"]!["tlogEntries"]![0]!.DeepClone().AsObject();
    }

    public static MessageSignature Message() => new("SHA2_256", new byte[32], Signature);

    public static SigstoreBundle V03MessageBundle() =>
        new(BundleMediaTypes.V0_3, VerificationMaterial.ForCertificate(CertificateDer.Value, [Entry()]), Message());

    public static SigstoreBundle V01MessageBundle() =>
        new(BundleMediaTypes.V0_1, VerificationMaterial.ForCertificateChain([CertificateDer.Value], [Entry()]), Message());

    public static SigstoreBundle V03DsseBundle() =>
        new(BundleMediaTypes.V0_3, VerificationMaterial.ForCertificate(CertificateDer.Value, [Entry()]), new DsseEnvelope("{}"u8.ToArray(), "application/vnd.in-toto+json", [new DsseSignature(Signature, string.Empty)]));

    public static JsonObject V03Message() => Json(V03MessageBundle());

    public static JsonObject V01Message() => Json(V01MessageBundle());

    public static JsonObject V03Dsse() => Json(V03DsseBundle());

    public static JsonObject Json(SigstoreBundle bundle) => JsonNode.Parse(bundle.ToJson())!.AsObject();

    public static byte[] Bytes(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
}
