using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SupplyChain.Instance.Rekor;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// Canonicalized entry bodies exactly as Rekor stores them: v1 kinds as compact JSON with sorted
/// keys (Rekor canonicalizes with RFC 8785), written here (the shipped instance serves Rekor v2 only); v2 kinds
/// are the shipped instance's <see cref="EntryBodies"/> (the order rekor-tiles emits, see the conformance bundle
/// rekor2-happy-path).
/// </summary>
public static class RekorBodies
{
    /// <summary>hashedrekord 0.0.1: <c>{"apiVersion","kind","spec":{"data":{"hash":{"algorithm":"sha256","value":hex}},"signature":{"content","publicKey":{"content":base64(PEM)}}}}</c>.</summary>
    /// <param name="artifactSha256">The artifact digest.</param>
    /// <param name="signature">The signature bytes.</param>
    /// <param name="pem">The PEM certificate or public key.</param>
    public static byte[] HashedRekordV001(ReadOnlySpan<byte> artifactSha256, ReadOnlySpan<byte> signature, string pem)
    {
        string hex = Convert.ToHexStringLower(artifactSha256);
        string sig = Convert.ToBase64String(signature);
        return Write(w =>
        {
            w.WriteString("apiVersion", "0.0.1");
            w.WriteString("kind", "hashedrekord");
            w.WriteStartObject("spec");
            w.WriteStartObject("data");
            w.WriteStartObject("hash");
            w.WriteString("algorithm", "sha256");
            w.WriteString("value", hex);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("signature");
            w.WriteString("content", sig);
            w.WriteStartObject("publicKey");
            w.WriteString("content", Convert.ToBase64String(Encoding.UTF8.GetBytes(pem)));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>dsse 0.0.1: <c>{"apiVersion","kind","spec":{"envelopeHash","payloadHash","signatures":[{"signature","verifier":base64(PEM)}]}}</c>.</summary>
    /// <param name="envelopeJson">The envelope JSON as submitted.</param>
    /// <param name="payload">The DSSE payload.</param>
    /// <param name="signature">The envelope signature.</param>
    /// <param name="pem">The PEM certificate or public key.</param>
    public static byte[] DsseV001(ReadOnlySpan<byte> envelopeJson, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature, string pem)
    {
        string envelopeHash = Convert.ToHexStringLower(SHA256.HashData(envelopeJson));
        string payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));
        string sig = Convert.ToBase64String(signature);
        return Write(w =>
        {
            w.WriteString("apiVersion", "0.0.1");
            w.WriteString("kind", "dsse");
            w.WriteStartObject("spec");
            WriteHash(w, "envelopeHash", envelopeHash);
            WriteHash(w, "payloadHash", payloadHash);
            w.WriteStartArray("signatures");
            w.WriteStartObject();
            w.WriteString("signature", sig);
            w.WriteString("verifier", Convert.ToBase64String(Encoding.UTF8.GetBytes(pem)));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// hashedrekord 0.0.2: <c>{"apiVersion","kind","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest"},
    /// "signature":{"content","verifier":{"keyDetails", "x509Certificate"|"publicKey":{"rawBytes"}}}}}}</c>.
    /// </summary>
    /// <param name="digest">The SHA-256 digest that was signed (artifact, or DSSE PAE).</param>
    /// <param name="signature">The signature bytes.</param>
    /// <param name="keyDetails">The verifier's PublicKeyDetails.</param>
    /// <param name="certificateDer">The DER leaf certificate, or <see langword="null"/> for a public key.</param>
    /// <param name="publicKeySpki">The DER SPKI when there is no certificate.</param>
    public static byte[] HashedRekordV002(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, string keyDetails, byte[]? certificateDer, byte[]? publicKeySpki) =>
        EntryBodies.HashedRekord(digest, signature, Verifier(keyDetails, certificateDer, publicKeySpki));

    /// <summary>
    /// dsse 0.0.2: <c>{"apiVersion","kind","spec":{"dsseV002":{"payloadHash":{"algorithm":"SHA2_256","digest"},
    /// "signatures":[{"content","verifier":{"keyDetails", "x509Certificate"|"publicKey":{"rawBytes"}}}]}}}</c>.
    /// </summary>
    /// <param name="payload">The DSSE payload (its SHA-256 is recorded).</param>
    /// <param name="signature">The envelope signature.</param>
    /// <param name="keyDetails">The verifier's PublicKeyDetails.</param>
    /// <param name="certificateDer">The DER leaf certificate, or <see langword="null"/> for a public key.</param>
    /// <param name="publicKeySpki">The DER SPKI when there is no certificate.</param>
    public static byte[] DsseV002(ReadOnlySpan<byte> payload, byte[] signature, string keyDetails, byte[]? certificateDer, byte[]? publicKeySpki) =>
        EntryBodies.Dsse(SHA256.HashData(payload), [(signature, Verifier(keyDetails, certificateDer, publicKeySpki))]);

    private static LoggedVerifier Verifier(string keyDetails, byte[]? certificateDer, byte[]? publicKeySpki) =>
        new(certificateDer ?? publicKeySpki ?? throw new ArgumentNullException(nameof(publicKeySpki)), certificateDer is not null, keyDetails);

    private static void WriteHash(Utf8JsonWriter w, string name, string hex)
    {
        w.WriteStartObject(name);
        w.WriteString("algorithm", "sha256");
        w.WriteString("value", hex);
        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
