using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Cli;

/// <summary>The simulated CI token endpoint's answer (as GitHub's): <c>{"value": "&lt;jwt&gt;"}</c>.</summary>
internal sealed class CiTokenAnswerJson
{
    [JsonPropertyName("value")] public string? Value { get; init; }
}

/// <summary>Source-generated metadata for the fixed-schema JSON signcli reads itself (the libraries read the rest).</summary>
[JsonSourceGenerationOptions(
    MaxDepth = 64,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(CiTokenAnswerJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
