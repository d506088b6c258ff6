using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Converts between a Sigstore bundle and a legacy cosign signature layer (cosign <c>pkg/oci/static</c>, <c>pkg/cosign/bundle</c>):
/// the layer holds the signed content (a simple-signing payload, or a DSSE envelope for <c>.att</c>) and its annotations
/// carry the signature, certificate (PEM), chain (PEM), Rekor v1 signed entry timestamp and RFC 3161 timestamp.
/// Reading builds the equivalent v0.1 bundle (inclusion promise, no proof) so Core's verifier checks it as any bundle.
/// </summary>
internal static class LegacySignatureLayer
{
    private const string BundleV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";

    /// <summary>The annotations of a legacy layer carrying <paramref name="bundle"/>'s verification material.</summary>
    public static Dictionary<string, string> Annotations(SigstoreBundle bundle, string? predicateType)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bundle.MessageSignature is { } ms)
        {
            annotations[SignatureMediaTypes.SignatureAnnotation] = Convert.ToBase64String(ms.Signature.Span);
        }
        else
        {
            // cosign writes an empty signature annotation on .att layers: the signature is inside the envelope.
            annotations[SignatureMediaTypes.SignatureAnnotation] = string.Empty;
        }

        if (predicateType is not null)
        {
            annotations[SignatureMediaTypes.LegacyPredicateTypeAnnotation] = predicateType;
        }

        VerificationMaterial material = bundle.VerificationMaterial;
        if (material.HasCertificate)
        {
            annotations[SignatureMediaTypes.CertificateAnnotation] = Pem(material.LeafCertificate.Span);
            if (material.Certificates.Count > 1)
            {
                annotations[SignatureMediaTypes.ChainAnnotation] = string.Concat(material.Certificates.Skip(1).Select(c => Pem(c.Span)));
            }
        }

        if (material.TlogEntries.FirstOrDefault(e => e.SignedEntryTimestamp is not null) is { } entry)
        {
            annotations[SignatureMediaTypes.RekorBundleAnnotation] = RekorBundle(entry);
        }

        if (material.Rfc3161Timestamps.Count > 0)
        {
            annotations[SignatureMediaTypes.Rfc3161Annotation] = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["SignedRFC3161Timestamp"] = Convert.ToBase64String(material.Rfc3161Timestamps[0].Span),
            });
        }

        return annotations;
    }

    /// <summary>The layer content of an <c>.att</c> layer: the bundle's DSSE envelope as cosign writes it.</summary>
    public static byte[] Envelope(DsseEnvelope envelope)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("payloadType", envelope.PayloadType);
            w.WriteBase64String("payload", envelope.Payload.Span);
            w.WriteStartArray("signatures");
            foreach (DsseSignature signature in envelope.Signatures)
            {
                w.WriteStartObject();
                w.WriteString("keyid", signature.KeyId ?? string.Empty);
                w.WriteBase64String("sig", signature.Signature.Span);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Whether the layer carries a certificate or a transparency-log entry (else it is key-signed without a log: what skopeo writes).</summary>
    public static bool HasCertificateOrLog(IReadOnlyDictionary<string, string> annotations) =>
        annotations.ContainsKey(SignatureMediaTypes.CertificateAnnotation) || annotations.ContainsKey(SignatureMediaTypes.RekorBundleAnnotation);

    /// <summary>The raw signature of a <c>.sig</c> layer (SC4406 when missing or not base64).</summary>
    public static byte[] Signature(IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue(SignatureMediaTypes.SignatureAnnotation, out string? text) || text.Length == 0)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"no {SignatureMediaTypes.SignatureAnnotation} annotation");
        }

        return Base64(text, SignatureMediaTypes.SignatureAnnotation);
    }

    /// <summary>
    /// The v0.1 bundle equivalent to a legacy layer: <paramref name="content"/> is the simple-signing payload (message
    /// signature over it) or, when <paramref name="isEnvelope"/>, the DSSE envelope JSON.
    /// </summary>
    public static byte[] ToBundle(IReadOnlyDictionary<string, string> annotations, ReadOnlySpan<byte> content, bool isEnvelope)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("mediaType", BundleV01);
            w.WriteStartObject("verificationMaterial");
            WriteKeyMaterial(w, annotations);
            w.WriteStartArray("tlogEntries");
            if (annotations.TryGetValue(SignatureMediaTypes.RekorBundleAnnotation, out string? rekor))
            {
                WriteTlogEntry(w, rekor);
            }

            w.WriteEndArray();
            if (annotations.TryGetValue(SignatureMediaTypes.Rfc3161Annotation, out string? timestamp))
            {
                w.WriteStartObject("timestampVerificationData");
                w.WriteStartArray("rfc3161Timestamps");
                w.WriteStartObject();
                w.WriteBase64String("signedTimestamp", Rfc3161Token(timestamp));
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            if (isEnvelope)
            {
                w.WritePropertyName("dsseEnvelope");
                WriteEnvelope(w, content);
            }
            else
            {
                w.WriteStartObject("messageSignature");
                w.WriteStartObject("messageDigest");
                w.WriteString("algorithm", "SHA2_256");
                w.WriteBase64String("digest", SHA256.HashData(content));
                w.WriteEndObject();
                w.WriteBase64String("signature", Signature(annotations));
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteKeyMaterial(Utf8JsonWriter w, IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue(SignatureMediaTypes.CertificateAnnotation, out string? certificate) || certificate.Length == 0)
        {
            w.WriteStartObject("publicKey");
            w.WriteString("hint", string.Empty);
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("x509CertificateChain");
        w.WriteStartArray("certificates");
        var chain = new List<byte[]>(Certificates(certificate, SignatureMediaTypes.CertificateAnnotation));
        if (chain.Count != 1)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{SignatureMediaTypes.CertificateAnnotation} holds {chain.Count} certificates, expected 1");
        }

        if (annotations.TryGetValue(SignatureMediaTypes.ChainAnnotation, out string? rest) && rest.Length > 0)
        {
            chain.AddRange(Certificates(rest, SignatureMediaTypes.ChainAnnotation));
        }

        foreach (byte[] der in chain)
        {
            w.WriteStartObject();
            w.WriteBase64String("rawBytes", der);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>cosign's Rekor bundle: <c>{"SignedEntryTimestamp":B64,"Payload":{"body":B64,"integratedTime":N,"logIndex":N,"logID":HEX}}</c>.</summary>
    private static void WriteTlogEntry(Utf8JsonWriter w, string rekorBundle)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(rekorBundle, new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth });
            JsonElement root = document.RootElement;
            JsonElement payload = root.GetProperty("Payload");
            byte[] set = Base64(RequiredString(root, "SignedEntryTimestamp"), "SignedEntryTimestamp");
            byte[] body = Base64(RequiredString(payload, "body"), "Payload.body");
            long integratedTime = payload.GetProperty("integratedTime").GetInt64();
            long logIndex = payload.GetProperty("logIndex").GetInt64();
            byte[] logId = Convert.FromHexString(RequiredString(payload, "logID"));
            (string kind, string version) = KindOf(body);

            w.WriteStartObject();
            w.WriteString("logIndex", logIndex.ToString(CultureInfo.InvariantCulture));
            w.WriteStartObject("logId");
            w.WriteBase64String("keyId", logId);
            w.WriteEndObject();
            w.WriteStartObject("kindVersion");
            w.WriteString("kind", kind);
            w.WriteString("version", version);
            w.WriteEndObject();
            w.WriteString("integratedTime", integratedTime.ToString(CultureInfo.InvariantCulture));
            w.WriteStartObject("inclusionPromise");
            w.WriteBase64String("signedEntryTimestamp", set);
            w.WriteEndObject();
            w.WriteBase64String("canonicalizedBody", body);
            w.WriteEndObject();
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{SignatureMediaTypes.RekorBundleAnnotation}: {ex.GetType().Name}", ex);
        }
    }

    private static (string Kind, string Version) KindOf(byte[] body)
    {
        using JsonDocument document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth });
        return (RequiredString(document.RootElement, "kind"), RequiredString(document.RootElement, "apiVersion"));
    }

    /// <summary>
    /// A member that must be a JSON string: anything else (absent, <c>null</c>, a number) is SC4406, never a
    /// <see cref="NullReferenceException"/> or <see cref="ArgumentNullException"/> that would abort the other signatures.
    /// </summary>
    private static string RequiredString(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw OciErrors.LegacyAnnotationsMalformed.ToException($"'{name}' is missing or not a string");

    /// <summary>What reading hostile annotation JSON may throw: each is one malformed signature (SC4406).</summary>
    private static bool IsReadFailure(Exception ex) =>
        ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or OverflowException;

    private static string RekorBundle(TransparencyLogEntry entry)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBase64String("SignedEntryTimestamp", entry.SignedEntryTimestamp!.Value.Span);
            w.WriteStartObject("Payload");
            w.WriteBase64String("body", entry.CanonicalizedBody.Span);
            w.WriteNumber("integratedTime", entry.IntegratedTime);
            w.WriteNumber("logIndex", entry.LogIndex);
            w.WriteString("logID", Convert.ToHexStringLower(entry.LogId.Span));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static byte[] Rfc3161Token(string annotation)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(annotation, new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth });
            return Base64(RequiredString(document.RootElement, "SignedRFC3161Timestamp"), "SignedRFC3161Timestamp");
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{SignatureMediaTypes.Rfc3161Annotation}: {ex.GetType().Name}", ex);
        }
    }

    /// <summary>Copies the envelope as the bundle's <c>dsseEnvelope</c> (DSSE's JSON field names are the protobuf-specs ones).</summary>
    private static void WriteEnvelope(Utf8JsonWriter w, ReadOnlySpan<byte> envelope)
    {
        try
        {
            var reader = new Utf8JsonReader(envelope, new JsonReaderOptions { MaxDepth = Limits.MaxJsonDepth });
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            w.WriteStartObject();
            w.WriteString("payload", RequiredString(root, "payload"));
            w.WriteString("payloadType", RequiredString(root, "payloadType"));
            w.WriteStartArray("signatures");
            foreach (JsonElement signature in root.GetProperty("signatures").EnumerateArray())
            {
                w.WriteStartObject();
                w.WriteString("sig", RequiredString(signature, "sig"));
                if (signature.TryGetProperty("keyid", out JsonElement keyId) && keyId.ValueKind == JsonValueKind.String && keyId.GetString()!.Length > 0)
                {
                    w.WriteString("keyid", keyId.GetString());
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"the DSSE envelope layer: {ex.GetType().Name}", ex);
        }
    }

    private static List<byte[]> Certificates(string pem, string annotation)
    {
        var result = new List<byte[]>();
        ReadOnlySpan<char> rest = pem;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            if (!rest[fields.Label].SequenceEqual("CERTIFICATE") || result.Count >= 10)
            {
                throw OciErrors.LegacyAnnotationsMalformed.ToException($"{annotation}: not a CERTIFICATE PEM sequence of at most 10");
            }

            result.Add(Base64(rest[fields.Base64Data].ToString(), annotation));
            rest = rest[fields.Location.End..];
        }

        return result.Count > 0 ? result : throw OciErrors.LegacyAnnotationsMalformed.ToException($"{annotation}: no PEM certificate");
    }

    private static string Pem(ReadOnlySpan<byte> der) => new string(PemEncoding.Write("CERTIFICATE", der)) + "\n";

    private static byte[] Base64(string text, string name)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw OciErrors.LegacyAnnotationsMalformed.ToException($"{name} is not base64", ex);
        }
    }
}
