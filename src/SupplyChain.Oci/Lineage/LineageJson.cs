using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace SupplyChain.Oci.Lineage;

/// <summary>Fail-closed reads of manifest, index and config documents for the lineage walk; every failure is SC4607.</summary>
internal static class LineageJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = Limits.MaxJsonDepth,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// The document-wide preflight: UTF-8, one JSON object, no duplicate member name at any depth (two
    /// <c>org.opencontainers.image.base.digest</c> annotations must not let two parsers see two claims). A DOM parse
    /// because the check covers members no DTO maps; the values are then read through DTOs.
    /// </summary>
    public static void CheckObject(ReadOnlyMemory<byte> content, int maxBytes, string what)
    {
        if (content.Length > maxBytes)
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what} is larger than {maxBytes} bytes");
        }

        // RFC 8259 section 8.1: JSON exchanged between systems "MUST be encoded using UTF-8". System.Text.Json checks a
        // string's bytes only when it is read, and then throws InvalidOperationException (found by fuzzing image-config).
        if (!Utf8.IsValid(content.Span))
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what} is not UTF-8");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(content, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw OciErrors.LineageImageMalformed.ToException($"{what} is not a JSON object");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // System.Text.Json's duplicate-name check (AllowDuplicateProperties = false) unescapes each property name and throws
            // InvalidOperationException, not JsonException, for an escaped lone surrogate ("\ud800"): malformed input all the same.
            throw OciErrors.LineageImageMalformed.ToException($"{what} is not valid JSON", ex);
        }
    }

    /// <summary>Reads a preflighted document into its DTO: a member of the wrong JSON type, or a string that does not decode, is SC4607.</summary>
    public static T Read<T>(ReadOnlyMemory<byte> content, JsonTypeInfo<T> type, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(content.Span, type) ?? throw OciErrors.LineageImageMalformed.ToException($"{what} is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // RFC 8259 section 8.2: an escape that does not decode ("\ud800") may surface as InvalidOperationException.
            throw OciErrors.LineageImageMalformed.ToException($"{what} is not JSON of the expected shape", ex);
        }
    }
}

/// <summary>An image config (image-spec <c>config.md</c>): the platform, <c>rootfs</c> and <c>config.Labels</c>; the rest is skipped.</summary>
internal sealed class ImageConfigJson
{
    [JsonPropertyName("os")] public string? Os { get; init; }
    [JsonPropertyName("architecture")] public string? Architecture { get; init; }
    [JsonPropertyName("variant")] public string? Variant { get; init; }
    [JsonPropertyName("rootfs")] public ImageRootFsJson? RootFs { get; init; }
    [JsonPropertyName("config")] public ImageExecutionConfigJson? Config { get; init; }
}

/// <summary><c>rootfs</c>: <c>type</c> ("layers") and <c>diff_ids</c>.</summary>
internal sealed class ImageRootFsJson
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("diff_ids")] public List<string?>? DiffIds { get; init; }
}

/// <summary>The execution <c>config</c>: its <c>Labels</c> (string to string).</summary>
internal sealed class ImageExecutionConfigJson
{
    [JsonPropertyName("Labels")] public Dictionary<string, string>? Labels { get; init; }
}

/// <summary>The dependency list of SLSA v1 provenance: <c>buildDefinition.resolvedDependencies</c>.</summary>
internal sealed class ProvenanceV1DependenciesJson
{
    [JsonPropertyName("buildDefinition")] public ProvenanceBuildDefinitionJson? BuildDefinition { get; init; }
}

/// <summary>v1 <c>BuildDefinition</c>: its <c>resolvedDependencies</c>.</summary>
internal sealed class ProvenanceBuildDefinitionJson
{
    [JsonPropertyName("resolvedDependencies")] public List<ProvenanceDependencyJson?>? ResolvedDependencies { get; init; }
}

/// <summary>The dependency list of SLSA v0.2 provenance: <c>materials</c>.</summary>
internal sealed class ProvenanceV02DependenciesJson
{
    [JsonPropertyName("materials")] public List<ProvenanceDependencyJson?>? Materials { get; init; }
}

/// <summary>
/// A v1 ResourceDescriptor or v0.2 material: its <c>uri</c>, and its <c>digest</c> kept as a JSON value (a digest that is
/// not an object of hex strings makes that one dependency unusable, SC4650, not the statement malformed).
/// </summary>
internal sealed class ProvenanceDependencyJson
{
    [JsonPropertyName("uri")] public string? Uri { get; init; }
    [JsonPropertyName("digest")] public JsonElement Digest { get; init; }
}

/// <summary>Source-generated metadata for the lineage walk's image config and provenance reads: strict numbers, duplicates refused, depth capped.</summary>
[JsonSourceGenerationOptions(
    MaxDepth = Limits.MaxJsonDepth,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ImageConfigJson))]
[JsonSerializable(typeof(ProvenanceV1DependenciesJson))]
[JsonSerializable(typeof(ProvenanceV02DependenciesJson))]
internal sealed partial class LineageJsonContext : JsonSerializerContext
{
}
