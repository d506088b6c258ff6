using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace SupplyChain.Instance.Http;

/// <summary>Strict reading of JSON request bodies: every failure is SC8010 naming the field.</summary>
internal static class RequestJson
{
    public static JsonObject Parse(ReadOnlySpan<byte> body)
    {
        // RFC 8259 section 8.1: JSON exchanged between systems "MUST be encoded using UTF-8". System.Text.Json checks a
        // string's bytes only when it is read, and then throws InvalidOperationException (found by fuzzing instance-http).
        if (!Utf8.IsValid(body))
        {
            throw InstanceErrors.RequestMalformed.ToException("the body is not UTF-8");
        }

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
        parent?[name] is JsonValue v && TryDecode(v, name, out string? s) ? s : throw Missing(name);

    public static string? OptionalString(JsonNode? parent, string name) =>
        parent?[name] switch
        {
            null => null,
            JsonValue v when TryDecode(v, name, out string? s) => s,
            _ => throw Missing(name),
        };

    /// <summary>
    /// The value as a string, when it is one; SC8010 when its escape does not decode (RFC 8259 section 8.2: an
    /// unpaired surrogate such as <c>"\ud800"</c>), which System.Text.Json throws as InvalidOperationException.
    /// </summary>
    private static bool TryDecode(JsonValue value, string name, [NotNullWhen(true)] out string? text)
    {
        try
        {
            return value.TryGetValue(out text);
        }
        catch (InvalidOperationException ex)
        {
            throw InstanceErrors.RequestMalformed.ToException($"'{name}' is not well-formed Unicode", ex);
        }
    }

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
