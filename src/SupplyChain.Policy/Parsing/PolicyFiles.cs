using System.Text;
using SupplyChain.Core.Errors;

namespace SupplyChain.Policy.Parsing;

/// <summary>Reads a policy or key file with a size limit; any I/O failure becomes the given code.</summary>
internal static class PolicyFiles
{
    public static string ReadText(string path, int maxBytes, ErrorCode unreadable, ErrorCode tooLarge)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > maxBytes)
            {
                throw tooLarge.ToException($"'{Path.GetFileName(path)}' is larger than {maxBytes} bytes");
            }

            using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException or ArgumentException or NotSupportedException)
        {
            throw unreadable.ToException($"'{Path.GetFileName(path)}': {ex.GetType().Name}", ex);
        }
    }
}
