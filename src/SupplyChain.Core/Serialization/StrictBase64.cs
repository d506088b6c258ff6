using System.Diagnostics.CodeAnalysis;

namespace SupplyChain.Core.Serialization;

/// <summary>
/// Base64 decoding as protobuf JSON (proto3 JSON mapping, "bytes") defines it: standard or URL-safe
/// alphabet, with or without padding. Unlike <see cref="Convert.FromBase64String(string)"/> it rejects
/// whitespace, misplaced or excess padding and impossible lengths.
/// </summary>
internal static class StrictBase64
{
    public static bool TryDecode(string? text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text is null)
        {
            return false;
        }

        int length = text.Length;
        int padding = 0;
        while (padding < 2 && length > 0 && text[length - 1] == '=')
        {
            length--;
            padding++;
        }

        // With padding the whole must be a multiple of 4; unpadded, a remainder of 1 is impossible.
        if ((padding > 0 && text.Length % 4 != 0) || length % 4 == 1)
        {
            return false;
        }

        bool urlSafe = false;
        bool standard = false;
        for (int i = 0; i < length; i++)
        {
            char c = text[i];
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                continue;
            }

            if (c is '+' or '/')
            {
                standard = true;
            }
            else if (c is '-' or '_')
            {
                urlSafe = true;
            }
            else
            {
                return false;
            }
        }

        if (urlSafe && standard)
        {
            return false;
        }

        // RFC 4648 section 3.5: the pad bits of the last character must be zero. Encoders always write them so;
        // accepting others would let distinct strings stand for the same bytes.
        int remainderChars = length % 4;
        if (remainderChars != 0)
        {
            int last = SextetOf(text[length - 1]);
            int padBits = remainderChars == 2 ? 0b1111 : 0b11;
            if ((last & padBits) != 0)
            {
                return false;
            }
        }

        string normalized = text[..length];
        if (urlSafe)
        {
            normalized = normalized.Replace('-', '+').Replace('_', '/');
        }

        int remainder = length % 4;
        if (remainder != 0)
        {
            normalized += new string('=', 4 - remainder);
        }

        byte[] buffer = new byte[normalized.Length / 4 * 3];
        if (!Convert.TryFromBase64String(normalized, buffer, out int written))
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
        return true;
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' or '-' => 62,
        _ => 63,
    };
}
