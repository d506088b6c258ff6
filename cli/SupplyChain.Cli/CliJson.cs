using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Cli;

/// <summary>The simulated CI token endpoint's answer (as GitHub's): <c>{"value": "&lt;jwt&gt;"}</c>.</summary>
internal sealed class CiTokenAnswerJson
{
    [JsonPropertyName("value")] public string? Value { get; init; }
}

/// <summary>
/// The statement layer of an in-toto statement signed as it is (<c>attest-blob --type statement</c>): <c>_type</c> and
/// the <c>subject</c> array; the predicate is open by definition and skipped.
/// </summary>
internal sealed class StatementShapeJson
{
    [JsonPropertyName("_type")] public string? Type { get; init; }
    [JsonPropertyName("subject")] public List<JsonElement>? Subject { get; init; }
}

/// <summary>Source-generated metadata for the fixed-schema JSON signcli reads itself (the libraries read the rest).</summary>
[JsonSourceGenerationOptions(
    MaxDepth = 64,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(CiTokenAnswerJson))]
[JsonSerializable(typeof(StatementShapeJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
