using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupplyChain.Instance.Http;

/// <summary>Strict reading of JSON request bodies: every failure is SC8010 naming the field.</summary>
internal static class RequestJson
{
    public static JsonObject Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            // Duplicate names are refused: two readers of one request must not see different values.
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false }) as JsonObject
                ?? throw InstanceErrors.RequestMalformed.ToException("the body is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // System.Text.Json's duplicate-name check (AllowDuplicateProperties = false) unescapes each property name and throws
            // InvalidOperationException, not JsonException, for an escaped lone surrogate ("\ud800"): malformed input all the same.
            throw InstanceErrors.RequestMalformed.ToException("the body is not JSON", ex);
        }
    }

    public static JsonObject Object(JsonNode? parent, string name) =>
        parent?[name] as JsonObject ?? throw Missing(name);

    public static string String(JsonNode? parent, string name) =>
        parent?[name] is JsonValue v && v.TryGetValue(out string? s) ? s : throw Missing(name);

    public static string? OptionalString(JsonNode? parent, string name) =>
        parent?[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => throw Missing(name),
        };

    public static byte[] Base64(JsonNode? parent, string name)
    {
        string text = String(parent, name);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw InstanceErrors.RequestMalformed.ToException($"{name} is not base64", ex);
        }
    }

    private static Core.Errors.SupplyChainException Missing(string name) =>
        InstanceErrors.RequestMalformed.ToException($"'{name}' is missing or has the wrong type");
}
