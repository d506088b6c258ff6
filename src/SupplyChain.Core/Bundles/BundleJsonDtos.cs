using System.Text.Json.Serialization;
using SupplyChain.Core.Serialization;

namespace SupplyChain.Core.Bundles;

// Internal DTOs mirroring protobuf-specs sigstore_bundle.proto / sigstore_rekor.proto /
// sigstore_common.proto / envelope.proto in their proto3 JSON mapping (lowerCamelCase names,
// int64 as strings or numbers, bytes as base64 strings). Bytes stay strings here so that
// StrictBase64 can report SC1008 with the field's path. Properties are declared in the protos' field order, which
// is the order BundleWriter writes them in.
#pragma warning disable CA1812 // instantiated by the source-generated serializer

internal sealed class BundleDto
{
    public string? MediaType { get; set; }
    public VerificationMaterialDto? VerificationMaterial { get; set; }
    public MessageSignatureDto? MessageSignature { get; set; }
    public EnvelopeDto? DsseEnvelope { get; set; }
}

internal sealed class VerificationMaterialDto
{
    public PublicKeyIdentifierDto? PublicKey { get; set; }
    public X509CertificateChainDto? X509CertificateChain { get; set; }
    public X509CertificateDto? Certificate { get; set; }
    public List<TlogEntryDto?>? TlogEntries { get; set; }
    public TimestampVerificationDataDto? TimestampVerificationData { get; set; }
}

internal sealed class PublicKeyIdentifierDto
{
    public string? Hint { get; set; }
}

internal sealed class X509CertificateChainDto
{
    public List<X509CertificateDto?>? Certificates { get; set; }
}

internal sealed class X509CertificateDto
{
    public string? RawBytes { get; set; }
}

internal sealed class TlogEntryDto
{
    public long? LogIndex { get; set; }
    public LogIdDto? LogId { get; set; }
    public KindVersionDto? KindVersion { get; set; }
    public long? IntegratedTime { get; set; }
    public InclusionPromiseDto? InclusionPromise { get; set; }
    public InclusionProofDto? InclusionProof { get; set; }
    public string? CanonicalizedBody { get; set; }
}

internal sealed class LogIdDto
{
    public string? KeyId { get; set; }
}

internal sealed class KindVersionDto
{
    public string? Kind { get; set; }
    public string? Version { get; set; }
}

internal sealed class InclusionPromiseDto
{
    public string? SignedEntryTimestamp { get; set; }
}

internal sealed class InclusionProofDto
{
    public long? LogIndex { get; set; }
    public string? RootHash { get; set; }
    public long? TreeSize { get; set; }
    public List<string?>? Hashes { get; set; }
    public CheckpointDto? Checkpoint { get; set; }
}

internal sealed class CheckpointDto
{
    public string? Envelope { get; set; }
}

internal sealed class TimestampVerificationDataDto
{
    public List<Rfc3161TimestampDto?>? Rfc3161Timestamps { get; set; }
}

internal sealed class Rfc3161TimestampDto
{
    public string? SignedTimestamp { get; set; }
}

internal sealed class MessageSignatureDto
{
    public HashOutputDto? MessageDigest { get; set; }
    public string? Signature { get; set; }
}

internal sealed class HashOutputDto
{
    public string? Algorithm { get; set; }
    public string? Digest { get; set; }
}

internal sealed class EnvelopeDto
{
    public string? Payload { get; set; }
    public string? PayloadType { get; set; }
    public List<EnvelopeSignatureDto?>? Signatures { get; set; }
}

internal sealed class EnvelopeSignatureDto
{
    public string? Sig { get; set; }

    [JsonPropertyName("keyid")]
    public string? KeyId { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = Limits.MaxJsonDepth)]
[JsonSerializable(typeof(BundleDto))]
[JsonSerializable(typeof(EnvelopeDto))]
[JsonSerializable(typeof(TlogEntryDto))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;

// Writing: the same DTOs, int64 as decimal strings (proto3 JSON: "int64, fixed64, uint64: JSON value will be a
// decimal string"), absent (null) fields left out, strings escaped by AsciiJsonStringConverter.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.WriteAsString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false,
    Converters = [typeof(AsciiJsonStringConverter)])]
[JsonSerializable(typeof(BundleDto))]
internal sealed partial class BundleWriteJsonContext : JsonSerializerContext;
