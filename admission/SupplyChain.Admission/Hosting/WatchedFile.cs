using System.Security.Cryptography;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// Reads mounted files (Kubernetes Secrets and ConfigMaps swap a <c>..data</c> symlink, so a path is re-read, never
/// kept open) within a size limit, and fingerprints their content: a reload happens when the SHA-256 of the bytes
/// changes, whatever the file times say.
/// </summary>
internal static class WatchedFile
{
    /// <summary>Reads <paramref name="path"/>; <paramref name="error"/> (with the path) when it is missing, unreadable or larger than <paramref name="maxBytes"/>.</summary>
    public static byte[] Read(string path, int maxBytes, ErrorCode error)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > maxBytes)
            {
                throw error.ToException($"{path}: larger than {maxBytes} bytes");
            }

            var buffer = new byte[stream.Length];
            stream.ReadExactly(buffer);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw error.ToException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>The lowercase hex SHA-256 of the parts, each length-prefixed (so two files cannot alias one).</summary>
    public static string Fingerprint(params ReadOnlySpan<byte[]> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (byte[] part in parts)
        {
            BitConverter.TryWriteBytes(length, (long)part.Length);
            hash.AppendData(length);
            hash.AppendData(part);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
