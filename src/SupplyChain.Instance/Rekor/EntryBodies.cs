using System.Text.Encodings.Web;
using System.Text.Json;

namespace SupplyChain.Instance.Rekor;

/// <summary>
/// Canonicalized Rekor v2 entry bodies, in the field order rekor-tiles emits (the conformance bundle
/// rekor2-happy-path): hashedrekord 0.0.2 and dsse 0.0.2 (rekor-tiles pkg/types). These are the bytes a
/// <see cref="Log.TileLog"/> stores as entries and a bundle carries as <c>canonicalizedBody</c>.
/// </summary>
public static class EntryBodies
{
    /// <summary><c>{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest"},"signature":{"content","verifier"}}}}</c>.</summary>
    /// <param name="digest">The SHA-256 digest that was signed (of the artifact, or of a DSSE PAE).</param>
    /// <param name="signature">The signature bytes.</param>
    /// <param name="verifier">The certificate or key that verifies the signature.</param>
    /// <exception cref="ArgumentException"><paramref name="digest"/> is not 32 bytes (the body names it SHA2_256).</exception>
    public static byte[] HashedRekord(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, LoggedVerifier verifier)
    {
        RequireSha256(digest, nameof(digest));
        ArgumentNullException.ThrowIfNull(verifier);
        string digestB64 = Convert.ToBase64String(digest);
        string signatureB64 = Convert.ToBase64String(signature);
        return Write("hashedrekord", w =>
        {
            w.WriteStartObject("hashedRekordV002");
            w.WriteStartObject("data");
            w.WriteString("algorithm", "SHA2_256");
            w.WriteString("digest", digestB64);
            w.WriteEndObject();
            w.WriteStartObject("signature");
            w.WriteString("content", signatureB64);
            WriteVerifier(w, verifier);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary><c>{"apiVersion":"0.0.2","kind":"dsse","spec":{"dsseV002":{"payloadHash":{"algorithm":"SHA2_256","digest"},"signatures":[{"content","verifier"}]}}}</c>.</summary>
    /// <param name="payloadSha256">SHA-256 of the DSSE payload.</param>
    /// <param name="signatures">Each envelope signature with its verifier.</param>
    /// <exception cref="ArgumentException"><paramref name="payloadSha256"/> is not 32 bytes (the body names it SHA2_256).</exception>
    public static byte[] Dsse(ReadOnlySpan<byte> payloadSha256, IReadOnlyList<(byte[] Signature, LoggedVerifier Verifier)> signatures)
    {
        RequireSha256(payloadSha256, nameof(payloadSha256));
        ArgumentNullException.ThrowIfNull(signatures);
        string digestB64 = Convert.ToBase64String(payloadSha256);
        return Write("dsse", w =>
        {
            w.WriteStartObject("dsseV002");
            w.WriteStartObject("payloadHash");
            w.WriteString("algorithm", "SHA2_256");
            w.WriteString("digest", digestB64);
            w.WriteEndObject();
            w.WriteStartArray("signatures");
            foreach ((byte[] signature, LoggedVerifier verifier) in signatures)
            {
                w.WriteStartObject();
                w.WriteString("content", Convert.ToBase64String(signature));
                WriteVerifier(w, verifier);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Both bodies write <c>"algorithm":"SHA2_256"</c> beside the digest: any other length would log a hash that claims to be what it is not.</summary>
    private static void RequireSha256(ReadOnlySpan<byte> digest, string name)
    {
        if (digest.Length != System.Security.Cryptography.SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA2_256 digest is {System.Security.Cryptography.SHA256.HashSizeInBytes} bytes, not {digest.Length}.", name);
        }
    }

    private static void WriteVerifier(Utf8JsonWriter w, LoggedVerifier verifier)
    {
        w.WriteStartObject("verifier");
        w.WriteString("keyDetails", verifier.KeyDetails);
        w.WriteStartObject(verifier.IsCertificate ? "x509Certificate" : "publicKey");
        w.WriteString("rawBytes", Convert.ToBase64String(verifier.Der.Span));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static byte[] Write(string kind, Action<Utf8JsonWriter> spec)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", "0.0.2");
            w.WriteString("kind", kind);
            w.WriteStartObject("spec");
            spec(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
