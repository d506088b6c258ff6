using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Core.Attestations;

/// <summary>
/// An in-toto Statement as JSON (in-toto/attestation spec v1 <c>statement.md</c>): <c>_type</c>, <c>subject</c>,
/// <c>predicateType</c> and <c>predicate</c>, which stays a JSON value: its schema is the predicate type's, open by
/// definition ("predicate: ... arbitrary JSON object").
/// </summary>
internal sealed class InTotoStatementJson
{
    [JsonPropertyName("_type")] public string? Type { get; init; }
    [JsonPropertyName("subject")] public List<InTotoSubjectJson?>? Subject { get; init; }
    [JsonPropertyName("predicateType")] public string? PredicateType { get; init; }

    /// <summary><see cref="JsonValueKind.Undefined"/> when absent; a JSON <c>null</c> is kept as one.</summary>
    [JsonPropertyName("predicate")] public JsonElement Predicate { get; init; }
}

/// <summary>A ResourceDescriptor subject: its <c>name</c> and <c>digest</c> (algorithm to hex); other fields skipped.</summary>
internal sealed class InTotoSubjectJson
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("digest")] public Dictionary<string, string>? Digest { get; init; }
}

/// <summary>
/// Source-generated metadata for in-toto statements and the SLSA provenance predicates read from them: the depth the preflight allows, numbers strictly as numbers,
/// duplicate names refused (the preflight refuses them first), comments refused; fields the statement layer does not
/// define are skipped (v0.1 and v1 statements differ only in the predicate's schema).
/// </summary>
[JsonSourceGenerationOptions(
    MaxDepth = Limits.MaxJsonDepth * 4,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(InTotoStatementJson))]
[JsonSerializable(typeof(SlsaV1PredicateJson))]
[JsonSerializable(typeof(SlsaV02PredicateJson))]
internal sealed partial class AttestationJsonContext : JsonSerializerContext
{
}
