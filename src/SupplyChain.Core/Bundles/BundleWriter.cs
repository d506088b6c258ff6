using System.Text.Json;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// Writes a <see cref="SigstoreBundle"/> in the protobuf-specs JSON form (proto3 JSON mapping) through the
/// source-generated serializer (no reflection). The canonical form, field by field, is documented in
/// docs/verification.md ("Bundle JSON"): declaration order, int64 as strings, padded standard base64, defaults left
/// out (proto3: "fields with default values are omitted"), except the fields the parser requires, which are always
/// written so that what is written parses back to an equal bundle.
/// </summary>
internal static class BundleWriter
{
    public static byte[] Write(SigstoreBundle bundle)
    {
        var dto = new BundleDto
        {
            MediaType = bundle.MediaType,
            VerificationMaterial = Material(bundle.VerificationMaterial),
            MessageSignature = bundle.MessageSignature is { } ms ? Message(ms) : null,
            DsseEnvelope = bundle.DsseEnvelope is { } envelope ? Envelope(envelope) : null,
        };
        return JsonSerializer.SerializeToUtf8Bytes(dto, BundleWriteJsonContext.Default.BundleDto);
    }

    private static VerificationMaterialDto Material(VerificationMaterial material)
    {
        var dto = new VerificationMaterialDto
        {
            TlogEntries = material.TlogEntries.Count == 0 ? null : [.. material.TlogEntries.Select(Entry)],
            TimestampVerificationData = material.Rfc3161Timestamps.Count == 0
                ? null
                : new TimestampVerificationDataDto { Rfc3161Timestamps = [.. material.Rfc3161Timestamps.Select(t => new Rfc3161TimestampDto { SignedTimestamp = Base64(t) })] },
        };
        switch (material.Content)
        {
            case VerificationMaterialContent.PublicKey:
                dto.PublicKey = new PublicKeyIdentifierDto { Hint = string.IsNullOrEmpty(material.PublicKeyHint) ? null : material.PublicKeyHint };
                break;
            case VerificationMaterialContent.X509CertificateChain:
                dto.X509CertificateChain = new X509CertificateChainDto { Certificates = [.. material.Certificates.Select(c => new X509CertificateDto { RawBytes = Base64(c) })] };
                break;
            default:
                dto.Certificate = new X509CertificateDto { RawBytes = Base64(material.LeafCertificate) };
                break;
        }

        return dto;
    }

    private static TlogEntryDto Entry(TransparencyLogEntry entry) => new()
    {
        LogIndex = DefaultIsAbsent(entry.LogIndex),
        LogId = new LogIdDto { KeyId = Base64(entry.LogId) },
        KindVersion = new KindVersionDto { Kind = entry.Kind, Version = entry.KindVersion },
        IntegratedTime = DefaultIsAbsent(entry.IntegratedTime),
        InclusionPromise = entry.SignedEntryTimestamp is { } set ? new InclusionPromiseDto { SignedEntryTimestamp = Base64(set) } : null,
        InclusionProof = entry.InclusionProof is { } proof ? Proof(proof) : null,
        CanonicalizedBody = Base64(entry.CanonicalizedBody),
    };

    private static InclusionProofDto Proof(InclusionProof proof) => new()
    {
        LogIndex = DefaultIsAbsent(proof.LogIndex),
        RootHash = Base64(proof.RootHash),
        TreeSize = DefaultIsAbsent(proof.TreeSize),
        Hashes = proof.Hashes.Count == 0 ? null : [.. proof.Hashes.Select(h => (string?)Base64(h))],
        Checkpoint = proof.Checkpoint is { } checkpoint ? new CheckpointDto { Envelope = checkpoint } : null,
    };

    private static MessageSignatureDto Message(MessageSignature signature) => new()
    {
        MessageDigest = signature.Digest is { } digest ? new HashOutputDto { Algorithm = signature.DigestAlgorithm, Digest = Base64(digest) } : null,
        Signature = Base64(signature.Signature),
    };

    private static EnvelopeDto Envelope(DsseEnvelope envelope) => new()
    {
        Payload = Base64(envelope.Payload),
        PayloadType = envelope.PayloadType,
        Signatures = [.. envelope.Signatures.Select(s => new EnvelopeSignatureDto { Sig = Base64(s.Signature), KeyId = s.KeyId })],
    };

    // proto3 JSON: "bytes: JSON value will be the data encoded as a string using standard base64 encoding with paddings".
    private static string Base64(ReadOnlyMemory<byte> bytes) => Convert.ToBase64String(bytes.Span);

    private static long? DefaultIsAbsent(long value) => value == 0 ? null : value;
}
