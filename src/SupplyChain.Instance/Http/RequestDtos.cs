using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Instance.Http;

/// <summary>
/// Fulcio v2 <c>CreateSigningCertificateRequest</c> (fulcio.proto, proto3 JSON): the credentials and exactly one of
/// <c>publicKeyRequest</c> and <c>certificateSigningRequest</c>.
/// </summary>
internal sealed class SigningCertificateRequestJson
{
    [JsonPropertyName("credentials")] public FulcioCredentialsJson? Credentials { get; init; }
    [JsonPropertyName("publicKeyRequest")] public FulcioPublicKeyRequestJson? PublicKeyRequest { get; init; }
    [JsonPropertyName("certificateSigningRequest")] public string? CertificateSigningRequest { get; init; }
}

/// <summary>fulcio.proto <c>Credentials</c>.</summary>
internal sealed class FulcioCredentialsJson
{
    [JsonPropertyName("oidcIdentityToken")] public string? OidcIdentityToken { get; init; }
}

/// <summary>fulcio.proto <c>PublicKeyRequest</c>: the PEM key and the proof of possession (base64).</summary>
internal sealed class FulcioPublicKeyRequestJson
{
    [JsonPropertyName("publicKey")] public FulcioPublicKeyJson? PublicKey { get; init; }
    [JsonPropertyName("proofOfPossession")] public string? ProofOfPossession { get; init; }
}

/// <summary>fulcio.proto <c>PublicKey</c>: the PEM <c>content</c> (its <c>algorithm</c> is skipped: the key says what it is).</summary>
internal sealed class FulcioPublicKeyJson
{
    [JsonPropertyName("content")] public string? Content { get; init; }
}

/// <summary>
/// rekor-tiles <c>CreateEntryRequest</c> (rekor/v2/rekor_service.proto): a oneof, so nothing but one of the two
/// requests is accepted.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateEntryRequestJson
{
    [JsonPropertyName("hashedRekordRequestV002")] public HashedRekordRequestJson? HashedRekord { get; init; }
    [JsonPropertyName("dsseRequestV002")] public DsseRequestJson? Dsse { get; init; }
}

/// <summary>rekor-tiles <c>HashedRekordRequestV002</c>: the digest and the signature with its verifier.</summary>
internal sealed class HashedRekordRequestJson
{
    [JsonPropertyName("digest")] public string? Digest { get; init; }
    [JsonPropertyName("signature")] public RekorSignatureJson? Signature { get; init; }
}

/// <summary>rekor-tiles <c>Signature</c>: base64 content and its verifier.</summary>
internal sealed class RekorSignatureJson
{
    [JsonPropertyName("content")] public string? Content { get; init; }
    [JsonPropertyName("verifier")] public VerifierJson? Verifier { get; init; }
}

/// <summary>protobuf-specs <c>Verifier</c>: <c>{"publicKey"|"x509Certificate":{"rawBytes"},"keyDetails"}</c>.</summary>
internal sealed class VerifierJson
{
    [JsonPropertyName("publicKey")] public RawBytesJson? PublicKey { get; init; }
    [JsonPropertyName("x509Certificate")] public RawBytesJson? X509Certificate { get; init; }
    [JsonPropertyName("keyDetails")] public string? KeyDetails { get; init; }
}

/// <summary>protobuf-specs <c>{"rawBytes": base64}</c>.</summary>
internal sealed class RawBytesJson
{
    [JsonPropertyName("rawBytes")] public string? RawBytes { get; init; }
}

/// <summary>rekor-tiles <c>DSSERequestV002</c>: the envelope and its verifiers.</summary>
internal sealed class DsseRequestJson
{
    [JsonPropertyName("envelope")] public DsseEnvelopeRequestJson? Envelope { get; init; }
    [JsonPropertyName("verifiers")] public List<VerifierJson?>? Verifiers { get; init; }
}

/// <summary>A DSSE envelope (protobuf-specs <c>io.intoto.Envelope</c>).</summary>
internal sealed class DsseEnvelopeRequestJson
{
    [JsonPropertyName("payload")] public string? Payload { get; init; }
    [JsonPropertyName("payloadType")] public string? PayloadType { get; init; }
    [JsonPropertyName("signatures")] public List<DsseSignatureRequestJson?>? Signatures { get; init; }
}

/// <summary>One DSSE signature: base64 <c>sig</c> (its <c>keyid</c> is skipped).</summary>
internal sealed class DsseSignatureRequestJson
{
    [JsonPropertyName("sig")] public string? Sig { get; init; }
}

/// <summary>
/// sigstore/timestamp-authority's JSON request (<c>pkg/api/timestamp.go</c> JSONRequest): <c>artifactHash</c>,
/// <c>hashAlgorithm</c>, <c>nonce</c> (kept as a JSON value: one that is not a positive 64-bit integer is SC8033,
/// not a malformed body) and <c>certificates</c>.
/// </summary>
internal sealed class TimestampRequestJson
{
    [JsonPropertyName("artifactHash")] public string? ArtifactHash { get; init; }
    [JsonPropertyName("hashAlgorithm")] public string? HashAlgorithm { get; init; }
    [JsonPropertyName("nonce")] public JsonElement Nonce { get; init; }
    [JsonPropertyName("certificates")] public bool? Certificates { get; init; }
}

/// <summary>
/// Source-generated metadata for the request bodies the instance accepts: duplicate names refused (two readers of one
/// request must not see different values), numbers strictly as numbers, comments refused, depth 16. Members a
/// message does not define are skipped, as protobuf JSON servers (grpc-gateway) discard them, except where a oneof
/// is the whole message.
/// </summary>
[JsonSourceGenerationOptions(
    MaxDepth = 16,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(SigningCertificateRequestJson))]
[JsonSerializable(typeof(CreateEntryRequestJson))]
[JsonSerializable(typeof(TimestampRequestJson))]
internal sealed partial class RequestJsonContext : JsonSerializerContext
{
}
