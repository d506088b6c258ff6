using System.Text.Json.Serialization;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// cosign's Rekor bundle annotation (<c>dev.sigstore.cosign/bundle</c>, cosign <c>pkg/cosign/bundle.RekorBundle</c>):
/// <c>{"SignedEntryTimestamp":B64,"Payload":{"body":B64,"integratedTime":N,"logIndex":N,"logID":HEX}}</c>.
/// </summary>
internal sealed class CosignRekorBundleJson
{
    [JsonPropertyName("SignedEntryTimestamp")] public string? SignedEntryTimestamp { get; init; }
    [JsonPropertyName("Payload")] public CosignRekorPayloadJson? Payload { get; init; }
}

/// <summary>cosign <c>bundle.RekorPayload</c>: Go <c>int64</c> numbers, never strings.</summary>
internal sealed class CosignRekorPayloadJson
{
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("integratedTime")] public long? IntegratedTime { get; init; }
    [JsonPropertyName("logIndex")] public long? LogIndex { get; init; }
    [JsonPropertyName("logID")] public string? LogId { get; init; }
}

/// <summary>
/// The kind and apiVersion of a Rekor v1 entry body. Only these two are read: the body's bytes go into the bundle
/// as they are (its canonical form is what the SET signs), and Core's entry matcher reads the spec.
/// </summary>
internal sealed class RekorBodyKindJson
{
    [JsonPropertyName("kind")] public string? Kind { get; init; }
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; init; }
}

/// <summary>cosign's RFC 3161 annotation (<c>dev.sigstore.cosign/rfc3161timestamp</c>): <c>{"SignedRFC3161Timestamp":B64}</c>.</summary>
internal sealed class CosignRfc3161Json
{
    [JsonPropertyName("SignedRFC3161Timestamp")] public string? SignedRfc3161Timestamp { get; init; }
}

/// <summary>
/// A simple signing payload (containers/image <c>signature/simple.go</c>, cosign <c>pkg/cosign/payload</c>): the
/// <c>critical</c> part read; <c>optional</c> is free-form by definition and skipped.
/// </summary>
internal sealed class SimpleSigningJson
{
    [JsonPropertyName("critical")] public SimpleSigningCriticalJson? Critical { get; init; }
}

/// <summary><c>critical</c>: the signature type and the signed image.</summary>
internal sealed class SimpleSigningCriticalJson
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("image")] public SimpleSigningImageJson? Image { get; init; }
}

/// <summary><c>critical.image</c>.</summary>
internal sealed class SimpleSigningImageJson
{
    [JsonPropertyName("docker-manifest-digest")] public string? DockerManifestDigest { get; init; }
}

/// <summary>
/// Source-generated metadata for what legacy cosign signatures carry (annotations, simple signing payloads): numbers
/// strictly as numbers, comments refused, depth capped; members the formats do not define are skipped, as cosign's
/// Go readers skip them.
/// </summary>
[JsonSourceGenerationOptions(
    MaxDepth = Limits.MaxJsonDepth,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(CosignRekorBundleJson))]
[JsonSerializable(typeof(RekorBodyKindJson))]
[JsonSerializable(typeof(CosignRfc3161Json))]
[JsonSerializable(typeof(SimpleSigningJson))]
internal sealed partial class SignatureJsonContext : JsonSerializerContext
{
}
