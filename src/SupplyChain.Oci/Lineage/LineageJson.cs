using System.Text.Json;
using System.Text.Unicode;

namespace SupplyChain.Oci.Lineage;

/// <summary>Typed, fail-closed reads of manifest, index and config fields; every failure is SC4607.</summary>
internal static class LineageJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = Limits.MaxJsonDepth,
        AllowDuplicateProperties = false,
    };

    public static JsonElement ParseObject(ReadOnlyMemory<byte> content, int maxBytes, string what)
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
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw OciErrors.LineageImageMalformed.ToException($"{what} is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // System.Text.Json's duplicate-name check (AllowDuplicateProperties = false) unescapes each property name and throws
            // InvalidOperationException, not JsonException, for an escaped lone surrogate ("\ud800"): malformed input all the same.
            throw OciErrors.LineageImageMalformed.ToException($"{what} is not valid JSON", ex);
        }
    }

    public static string String(JsonElement parent, string name, string what) =>
        OptionalString(parent, name, what) ?? throw OciErrors.LineageImageMalformed.ToException($"{what}: '{name}' must be a string");

    public static string? OptionalString(JsonElement parent, string name, string what)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? Decode(value, $"{what}: '{name}'")
            : throw OciErrors.LineageImageMalformed.ToException($"{what}: '{name}' must be a string");
    }

    /// <summary>
    /// A JSON string's value; SC4607 when an escape does not decode (RFC 8259 section 8.2: an unpaired surrogate such as
    /// <c>"\ud800"</c>), which System.Text.Json reports as InvalidOperationException when the string is read.
    /// </summary>
    public static string Decode(JsonElement value, string where)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw OciErrors.LineageImageMalformed.ToException($"{where} is not well-formed Unicode", ex);
        }
    }

    public static JsonElement? OptionalObject(JsonElement parent, string name, string what)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw OciErrors.LineageImageMalformed.ToException($"{what}: '{name}' must be an object");
    }

    public static List<JsonElement> Array(JsonElement parent, string name, string what, int maxItems)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what}: '{name}' must be an array");
        }

        if (value.GetArrayLength() > maxItems)
        {
            throw OciErrors.LineageImageMalformed.ToException($"{what}: '{name}' has more than {maxItems} entries");
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>A string-to-string map (annotations, labels); <c>null</c> when absent.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonElement parent, string name, string what)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (OptionalObject(parent, name, what) is not { } obj)
        {
            return map;
        }

        foreach (JsonProperty property in obj.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? Decode(property.Value, $"{what}: '{name}.{property.Name}'")
                : throw OciErrors.LineageImageMalformed.ToException($"{what}: '{name}.{property.Name}' must be a string");
        }

        return map;
    }
}
