using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Bundles;
using static SupplyChain.Core.Transparency.EntryBodyMatcher;
using static SupplyChain.Core.Transparency.EntryBodyReader;

namespace SupplyChain.Core.Transparency;

/// <summary>Bodies recording a DSSE envelope: payload, the single signature and its signer must be the bundle's.</summary>
internal static class DsseBodies
{
    /// <summary>
    /// Rekor v1 dsse 0.0.1: <c>spec.payloadHash{algorithm,value}</c> (hex) and
    /// <c>spec.signatures[{signature, verifier}]</c> (base64 signature, base64 PEM verifier).
    /// <c>spec.envelopeHash</c> is not compared: it hashes Rekor's re-serialisation of the envelope,
    /// while the payload hash and signature already bind the envelope's content.
    /// </summary>
    public static void MatchDsseV001(JsonElement spec, DsseEnvelope envelope, TlogSubject subject)
    {
        JsonElement payloadHash = Object(spec, "payloadHash");
        HashAlgorithmName algorithm = RekorV1HashAlgorithm(String(payloadHash, "algorithm"));
        byte[] digest = Hex(payloadHash, "value");
        JsonElement signature = SingleSignature(spec, "signatures");
        byte[] content = Base64(signature, "signature");
        (byte[] Der, bool IsCertificate) verifier = PemVerifier(signature, "verifier");

        RequireSignature(content, envelope.Signatures[0].Signature.Span);
        RequireVerifier(verifier, subject);
        RequireDigest(digest, Hash(algorithm, envelope.Payload.Span), "payload");
    }

    /// <summary>
    /// Rekor v2 dsse 0.0.2: <c>spec.dsseV002.payloadHash{algorithm,digest}</c> and
    /// <c>spec.dsseV002.signatures[{content, verifier}]</c>.
    /// </summary>
    public static void MatchDsseV002(JsonElement spec, DsseEnvelope envelope, TlogSubject subject)
    {
        JsonElement v002 = Object(spec, "dsseV002");
        JsonElement payloadHash = Object(v002, "payloadHash");
        HashAlgorithmName algorithm = ProtobufHashAlgorithm(String(payloadHash, "algorithm"));
        byte[] digest = Base64(payloadHash, "digest");
        JsonElement signature = SingleSignature(v002, "signatures");
        byte[] content = Base64(signature, "content");
        (byte[] Der, bool IsCertificate) verifier = RawVerifier(Object(signature, "verifier"));

        RequireSignature(content, envelope.Signatures[0].Signature.Span);
        RequireRekorV2Verifier(verifier, subject);
        RequireDigest(digest, Hash(algorithm, envelope.Payload.Span), "payload");
    }

    /// <summary>
    /// Rekor v1 intoto 0.0.2: <c>spec.content.envelope{payloadType, payload?, signatures[{sig, publicKey}]}</c>
    /// and <c>spec.content.payloadHash</c>. Rekor stores the payload and each <c>sig</c> base64-encoded twice
    /// (the envelope's base64 text, base64-encoded again as JSON bytes); <c>publicKey</c> is base64 PEM.
    /// </summary>
    public static void MatchIntotoV002(JsonElement spec, DsseEnvelope envelope, TlogSubject subject)
    {
        JsonElement content = Object(spec, "content");
        JsonElement recorded = Object(content, "envelope");
        string payloadType = String(recorded, "payloadType");
        JsonElement payloadHash = Object(content, "payloadHash");
        HashAlgorithmName algorithm = RekorV1HashAlgorithm(String(payloadHash, "algorithm"));
        byte[] digest = Hex(payloadHash, "value");
        JsonElement signature = SingleSignature(recorded, "signatures");
        byte[] sig = DoubleBase64(signature, "sig") ?? throw Mismatch("the entry's signature is not the base64 text of a signature");
        (byte[] Der, bool IsCertificate) verifier = PemVerifier(signature, "publicKey");

        if (payloadType != envelope.PayloadType)
        {
            throw Mismatch("the entry's payload type is not the envelope's");
        }

        // Rekor may drop the payload from the stored body; when it is there it must be the envelope's.
        if (recorded.TryGetProperty("payload", out _) && !(DoubleBase64(recorded, "payload") ?? []).AsSpan().SequenceEqual(envelope.Payload.Span))
        {
            throw Mismatch("the entry's payload is not the envelope's");
        }

        RequireSignature(sig, envelope.Signatures[0].Signature.Span);
        RequireVerifier(verifier, subject);
        RequireDigest(digest, Hash(algorithm, envelope.Payload.Span), "payload");
    }

    /// <summary>
    /// Rekor v2 logs a DSSE envelope as hashedrekord 0.0.2: <c>data.digest</c> is the hash of the
    /// envelope's pre-authentication encoding (DSSE protocol: "PAE(type, body) = "DSSEv1" + SP +
    /// LEN(type) + SP + type + SP + LEN(body) + SP + body") and <c>signature.content</c> its signature.
    /// </summary>
    public static void MatchHashedRekordV002(JsonElement spec, DsseEnvelope envelope, TlogSubject subject)
    {
        JsonElement v002 = Object(spec, "hashedRekordV002");
        JsonElement data = Object(v002, "data");
        HashAlgorithmName algorithm = ProtobufHashAlgorithm(String(data, "algorithm"));
        byte[] digest = Base64(data, "digest");
        JsonElement signature = Object(v002, "signature");
        byte[] content = Base64(signature, "content");
        (byte[] Der, bool IsCertificate) verifier = RawVerifier(Object(signature, "verifier"));

        RequireSignature(content, envelope.Signatures[0].Signature.Span);
        RequireRekorV2Verifier(verifier, subject);
        RequireDigest(digest, PaeDigest(algorithm, envelope.PayloadType, envelope.Payload.Span), "envelope (PAE)");
    }

    /// <summary>The hash of PAE(payloadType, payload), streamed (the payload may be a large SBOM).</summary>
    internal static byte[] PaeDigest(HashAlgorithmName algorithm, string payloadType, ReadOnlySpan<byte> payload)
    {
        byte[] type = System.Text.Encoding.UTF8.GetBytes(payloadType);
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData("DSSEv1 "u8);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(type.Length.ToString(CultureInfo.InvariantCulture)));
        hash.AppendData(" "u8);
        hash.AppendData(type);
        hash.AppendData(" "u8);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture)));
        hash.AppendData(" "u8);
        hash.AppendData(payload);
        return hash.GetHashAndReset();
    }

    private static byte[] Hash(HashAlgorithmName algorithm, ReadOnlySpan<byte> data)
        => algorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(data)
            : algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(data)
            : SHA512.HashData(data);

    /// <summary>The bundle's envelope has one signature, so the entry must record exactly one.</summary>
    private static JsonElement SingleSignature(JsonElement parent, string name)
    {
        JsonElement signatures = Array(parent, name);
        if (signatures.GetArrayLength() != 1)
        {
            throw Mismatch($"the entry records {signatures.GetArrayLength()} signatures; the envelope has one");
        }

        JsonElement signature = signatures[0];
        if (signature.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("a signature is not an object");
        }

        return signature;
    }
}
