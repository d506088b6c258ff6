using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Signing.Services;

/// <summary>Rekor v1 LogEntry (openapi.yaml): what the client reads of one entry of the createLogEntry answer.</summary>
internal sealed class RekorV1EntryJson
{
    [JsonPropertyName("body")]
    public string? Body { get; init; }

    [JsonPropertyName("integratedTime")]
    public JsonElement IntegratedTime { get; init; }

    [JsonPropertyName("logIndex")]
    public JsonElement LogIndex { get; init; }

    [JsonPropertyName("logID")]
    public string? LogId { get; init; }

    [JsonPropertyName("verification")]
    public RekorV1VerificationJson? Verification { get; init; }
}

/// <summary>openapi.yaml LogEntry.verification.</summary>
internal sealed class RekorV1VerificationJson
{
    [JsonPropertyName("signedEntryTimestamp")]
    public string? SignedEntryTimestamp { get; init; }

    [JsonPropertyName("inclusionProof")]
    public RekorV1InclusionProofJson? InclusionProof { get; init; }
}

/// <summary>openapi.yaml InclusionProof: hex hashes and root hash, integer indexes, the checkpoint note.</summary>
internal sealed class RekorV1InclusionProofJson
{
    [JsonPropertyName("logIndex")]
    public JsonElement LogIndex { get; init; }

    [JsonPropertyName("rootHash")]
    public string? RootHash { get; init; }

    [JsonPropertyName("treeSize")]
    public JsonElement TreeSize { get; init; }

    [JsonPropertyName("hashes")]
    public List<string>? Hashes { get; init; }

    [JsonPropertyName("checkpoint")]
    public string? Checkpoint { get; init; }
}

/// <summary>A canonicalized entry body: kind, apiVersion, and the spec of hashedrekord 0.0.1/0.0.2 or dsse 0.0.1.</summary>
internal sealed class EntryBodyJson
{
    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; init; }

    [JsonPropertyName("spec")]
    public EntrySpecJson? Spec { get; init; }
}

/// <summary>The spec fields the client compares with what it proposed.</summary>
internal sealed class EntrySpecJson
{
    /// <summary>hashedrekord 0.0.1: <c>data.hash.{algorithm,value}</c>.</summary>
    [JsonPropertyName("data")]
    public HashedRekordDataJson? Data { get; init; }

    /// <summary>hashedrekord 0.0.1: <c>signature.{content,publicKey.content}</c>.</summary>
    [JsonPropertyName("signature")]
    public HashedRekordSignatureJson? Signature { get; init; }

    /// <summary>dsse 0.0.1: <c>payloadHash.value</c>.</summary>
    [JsonPropertyName("payloadHash")]
    public HashJson? PayloadHash { get; init; }

    /// <summary>dsse 0.0.1: the envelope's signatures with their verifiers.</summary>
    [JsonPropertyName("signatures")]
    public List<DsseSignatureJson?>? Signatures { get; init; }

    /// <summary>hashedrekord 0.0.2 (Rekor v2).</summary>
    [JsonPropertyName("hashedRekordV002")]
    public HashedRekordV002Json? HashedRekordV002 { get; init; }
}

internal sealed class HashedRekordDataJson
{
    [JsonPropertyName("hash")]
    public HashJson? Hash { get; init; }
}

internal sealed class HashJson
{
    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }
}

internal sealed class HashedRekordSignatureJson
{
    [JsonPropertyName("content")]
    public string? Content { get; init; }

    [JsonPropertyName("publicKey")]
    public ContentJson? PublicKey { get; init; }
}

internal sealed class ContentJson
{
    [JsonPropertyName("content")]
    public string? Content { get; init; }
}

internal sealed class DsseSignatureJson
{
    [JsonPropertyName("signature")]
    public string? Signature { get; init; }

    [JsonPropertyName("verifier")]
    public string? Verifier { get; init; }
}

/// <summary>rekor-tiles hashedrekord 0.0.2 spec: <c>data.digest</c> and <c>signature.content</c> (base64).</summary>
internal sealed class HashedRekordV002Json
{
    [JsonPropertyName("data")]
    public DigestJson? Data { get; init; }

    [JsonPropertyName("signature")]
    public ContentJson? Signature { get; init; }
}

internal sealed class DigestJson
{
    [JsonPropertyName("digest")]
    public string? Digest { get; init; }
}

/// <summary>protobuf-specs TransparencyLogEntry (Rekor v2 answer): the fields the client checks before carrying the entry into the bundle.</summary>
internal sealed class RekorV2EntryJson
{
    [JsonPropertyName("canonicalizedBody")]
    public string? CanonicalizedBody { get; init; }

    [JsonPropertyName("logIndex")]
    public JsonElement LogIndex { get; init; }

    [JsonPropertyName("logId")]
    public JsonElement LogId { get; init; }

    [JsonPropertyName("inclusionProof")]
    public JsonElement InclusionProof { get; init; }
}

/// <summary>fulcio.proto SigningCertificate: one of the two chain forms.</summary>
internal sealed class FulcioResponseJson
{
    [JsonPropertyName("signedCertificateEmbeddedSct")]
    public FulcioChainHolderJson? Embedded { get; init; }

    [JsonPropertyName("signedCertificateDetachedSct")]
    public FulcioChainHolderJson? Detached { get; init; }
}

internal sealed class FulcioChainHolderJson
{
    [JsonPropertyName("chain")]
    public FulcioChainJson? Chain { get; init; }
}

internal sealed class FulcioChainJson
{
    [JsonPropertyName("certificates")]
    public List<string?>? Certificates { get; init; }
}

/// <summary>Source-generated metadata for every JSON the service clients read (DESIGN.md convention 3).</summary>
[JsonSourceGenerationOptions(MaxDepth = Limits.MaxJsonDepth)]
[JsonSerializable(typeof(Dictionary<string, RekorV1EntryJson>))]
[JsonSerializable(typeof(EntryBodyJson))]
[JsonSerializable(typeof(RekorV2EntryJson))]
[JsonSerializable(typeof(FulcioResponseJson))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext
{
}
