using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SupplyChain.Tuf.Metadata;

/// <summary>
/// OLPC canonical JSON as securesystemslib's <c>encode_canonical</c> writes it (the bytes TUF signatures cover):
/// no whitespace, object keys sorted, strings escaping only <c>"</c> and <c>\</c> (everything else raw UTF-8),
/// integers only (no floats).
/// </summary>
internal static class CanonicalJson
{
    /// <summary>Encodes <paramref name="element"/> canonically.</summary>
    /// <exception cref="Core.Errors.MalformedInputException">SC3004 for a non-integer number.</exception>
    public static byte[] Encode(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(element, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(JsonElement element, ArrayBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                output.Write("{"u8);
                bool first = true;
                // Python sorts str keys by code point; ordinal UTF-16 order equals it outside the astral planes.
                foreach (JsonProperty property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        output.Write(","u8);
                    }

                    first = false;
                    WriteString(property.Name, output);
                    output.Write(":"u8);
                    Write(property.Value, output);
                }

                output.Write("}"u8);
                break;
            case JsonValueKind.Array:
                output.Write("["u8);
                bool firstItem = true;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        output.Write(","u8);
                    }

                    firstItem = false;
                    Write(item, output);
                }

                output.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetInt64(out long value))
                {
                    throw TufErrors.MetadataMalformed.ToException($"canonical JSON allows integers only, not '{element.GetRawText()}'");
                }

                output.Write(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            default:
                output.Write("null"u8);
                break;
        }
    }

    private static void WriteString(string value, ArrayBufferWriter<byte> output)
    {
        output.Write("\""u8);
        var escaped = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        output.Write(Encoding.UTF8.GetBytes(escaped.ToString()));
        output.Write("\""u8);
    }
}
