using SupplyChain.Core.Errors;

namespace SupplyChain.Cli;

/// <summary>Reads files named on the command line, turning I/O failures into SC6002/SC6004.</summary>
internal static class CliFiles
{
    /// <summary>Reads <paramref name="path"/> whole, refusing files over <paramref name="maxBytes"/>.</summary>
    /// <param name="path">The path as given.</param>
    /// <param name="role">What the file is (for the message), such as <c>--bundle</c>.</param>
    /// <param name="maxBytes">The size limit.</param>
    public static byte[] ReadAll(string path, string role, long maxBytes)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > maxBytes)
            {
                throw CliErrors.FileTooLarge.ToException($"{role} '{path}' is {stream.Length} bytes; the limit is {maxBytes}");
            }

            using var buffer = new MemoryStream();
            byte[] chunk = new byte[1 << 16];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw CliErrors.FileTooLarge.ToException($"{role} '{path}' is over the {maxBytes}-byte limit");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (FileNotFoundException ex)
        {
            throw CliErrors.FileUnreadable.ToException($"{role} '{path}' does not exist", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw CliErrors.FileUnreadable.ToException($"{role} '{path}' does not exist", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw CliErrors.FileUnreadable.ToException($"{role} '{path}' cannot be read (permission denied, or a directory)", ex);
        }
        catch (IOException ex)
        {
            throw CliErrors.FileUnreadable.ToException($"{role} '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Reads a UTF-8 text file (a PEM key).</summary>
    public static string ReadText(string path, string role, long maxBytes) =>
        System.Text.Encoding.UTF8.GetString(ReadAll(path, role, maxBytes));

    /// <summary>Fails with SC6002 unless <paramref name="path"/> is an existing regular file.</summary>
    public static void RequireFile(string path, string role)
    {
        if (Directory.Exists(path))
        {
            throw CliErrors.FileUnreadable.ToException($"{role} '{path}' is a directory");
        }

        if (!File.Exists(path))
        {
            throw CliErrors.FileUnreadable.ToException($"{role} '{path}' does not exist");
        }
    }
}
