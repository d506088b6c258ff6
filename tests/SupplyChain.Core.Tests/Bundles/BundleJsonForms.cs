using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Core.Serialization;

namespace SupplyChain.Core.Tests.Bundles;

/// <summary>
/// How another writer's bundle JSON can differ from ours while meaning the same (RFC 8259): insignificant whitespace,
/// the spelling of string escapes, the order of object members. Each normalisation removes one kind of difference.
/// </summary>
internal static class BundleJsonForms
{
    /// <summary>The JSON without whitespace outside strings (RFC 8259 section 2: "insignificant whitespace").</summary>
    public static byte[] WithoutWhitespace(ReadOnlySpan<byte> json)
    {
        var result = new List<byte>(json.Length);
        bool inString = false;
        bool escaped = false;
        foreach (byte b in json)
        {
            if (inString)
            {
                result.Add(b);
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                continue;
            }

            inString = b == (byte)'"';
            result.Add(b);
        }

        return [.. result];
    }

    /// <summary>The same tokens in the same order, every string re-escaped as our writer escapes (ASCII only).</summary>
    public static byte[] WithOurEscaping(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var output = new StringBuilder();
        bool needComma = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    output.Append(needComma ? "," : string.Empty).Append(reader.TokenType == JsonTokenType.StartObject ? '{' : '[');
                    needComma = false;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    output.Append(reader.TokenType == JsonTokenType.EndObject ? '}' : ']');
                    needComma = true;
                    break;
                case JsonTokenType.PropertyName:
                    output.Append(needComma ? "," : string.Empty).Append(AsciiJsonStringConverter.Quote(reader.GetString()!)).Append(':');
                    needComma = false;
                    break;
                case JsonTokenType.String:
                    output.Append(needComma ? "," : string.Empty).Append(AsciiJsonStringConverter.Quote(reader.GetString()!));
                    needComma = true;
                    break;
                default:
                    output.Append(needComma ? "," : string.Empty).Append(Encoding.UTF8.GetString(reader.ValueSpan));
                    needComma = true;
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(output.ToString());
    }

    /// <summary>
    /// The JSON without members that hold a proto3 default value (the int64 0, an empty string or list), which the proto3
    /// JSON mapping omits ("If a field has the default value, it is omitted from the JSON output by default"), and
    /// without an empty <c>timestampVerificationData</c>; DSSE's <c>keyid</c> stays, as our writer keeps it as given.
    /// </summary>
    public static byte[] WithoutDefaults(ReadOnlySpan<byte> json)
    {
        JsonNode root = JsonNode.Parse(json.ToArray())!;
        Prune(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Equal as JSON values: objects compared member by member regardless of order, strings after unescaping.</summary>
    public static bool SameJson(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        using JsonDocument x = JsonDocument.Parse(a.ToArray());
        using JsonDocument y = JsonDocument.Parse(b.ToArray());
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }

    private static void Prune(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                Prune(item);
            }
        }
        else if (node is JsonObject obj)
        {
            foreach (string name in obj.Select(p => p.Key).ToList())
            {
                JsonNode? value = obj[name];
                bool isDefault = value switch
                {
                    JsonArray a => a.Count == 0,
                    JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString() == "0",
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => name != "keyid" && (v.GetValue<string>() is "" or "0" && (name is not ("kind" or "version"))),
                    _ => false,
                };
                if (!isDefault)
                {
                    Prune(value);

                    // A timestampVerificationData without timestamps says nothing (the oneof and message fields that
                    // carry meaning when empty, such as publicKey, stay).
                    isDefault = name == "timestampVerificationData" && value is JsonObject { Count: 0 };
                }

                if (isDefault)
                {
                    obj.Remove(name);
                }
            }
        }
    }
}
