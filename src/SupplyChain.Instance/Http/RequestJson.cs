using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace SupplyChain.Instance.Http;

/// <summary>Strict reading of JSON request bodies into their source-generated DTOs: every failure is SC8010 naming the field.</summary>
internal static class RequestJson
{
    public static T Read<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> type)
        where T : class
    {
        // RFC 8259 section 8.1: JSON exchanged between systems "MUST be encoded using UTF-8". System.Text.Json checks a
        // string's bytes only when it is read, and then throws InvalidOperationException (found by fuzzing instance-http).
        if (!Utf8.IsValid(body))
        {
            throw InstanceErrors.RequestMalformed.ToException("the body is not UTF-8");
        }

        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw InstanceErrors.RequestMalformed.ToException("the body is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A member of the wrong JSON type, a duplicate name, or an escape that does not decode (RFC 8259 section 8.2:
            // an unpaired surrogate such as "\ud800", which System.Text.Json may throw as InvalidOperationException).
            throw InstanceErrors.RequestMalformed.ToException("the body is not JSON of the expected shape", ex);
        }
    }

    public static T Required<T>([NotNull] T? value, string name)
        where T : class =>
        value ?? throw Missing(name);

    public static byte[] Base64(string? text, string name)
    {
        try
        {
            return Convert.FromBase64String(Required(text, name));
        }
        catch (FormatException ex)
        {
            throw InstanceErrors.RequestMalformed.ToException($"{name} is not base64", ex);
        }
    }

    private static Core.Errors.SupplyChainException Missing(string name) =>
        InstanceErrors.RequestMalformed.ToException($"'{name}' is missing or has the wrong type");
}
