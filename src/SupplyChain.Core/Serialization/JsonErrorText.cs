using System.Text;
using System.Text.Json;

namespace SupplyChain.Core.Serialization;

/// <summary>
/// Says where and why untrusted JSON is malformed, in our words and with one position (line and column, both from 1,
/// the column in characters), computed here from the document itself: never System.Text.Json's own message, whose
/// wording and positions (a 0-based line beside a byte offset in that line) are the library's, not the user's.
/// </summary>
internal static class JsonErrorText
{
    /// <summary>Why the reader stopped at the position <paramref name="error"/> reports.</summary>
    public static string Describe(ReadOnlySpan<byte> json, JsonException error)
    {
        long offset = Offset(json, error.LineNumber ?? 0, error.BytePositionInLine ?? 0);
        if (offset >= json.Length)
        {
            return $"invalid JSON: the document ends at {Position(json, json.Length)} before the value is complete (is the file truncated?)";
        }

        return $"invalid JSON at {Position(json, (int)offset)}: unexpected {Character(json, (int)offset)}";
    }

    /// <summary>"line L, column C" of the byte at <paramref name="offset"/>.</summary>
    public static string Position(ReadOnlySpan<byte> json, int offset)
    {
        offset = Math.Clamp(offset, 0, json.Length);
        ReadOnlySpan<byte> before = json[..offset];
        int line = before.Count((byte)'\n') + 1;
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        int column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return $"line {line}, column {column}";
    }

    private static long Offset(ReadOnlySpan<byte> json, long lineNumber, long bytePositionInLine)
    {
        int lineStart = 0;
        for (long line = 0; line < lineNumber; line++)
        {
            int next = json[lineStart..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return json.Length;
            }

            lineStart += next + 1;
        }

        return lineStart + bytePositionInLine;
    }

    private static string Character(ReadOnlySpan<byte> json, int offset)
    {
        byte b = json[offset];
        return b switch
        {
            (byte)'\n' => "end of line",
            (byte)'\r' => "carriage return",
            (byte)'\t' => "tab",
            >= 0x21 and <= 0x7E => $"character '{(char)b}'",
            _ => $"byte 0x{b:x2}",
        };
    }
}
