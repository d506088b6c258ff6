using System.Runtime.InteropServices;

namespace SupplyChain.Instance.Log;

/// <summary>
/// fsync(2) of a directory, which makes the creation, rename or removal of its entries durable (POSIX:
/// a rename is atomic, but survives a power loss only once the directory itself is synced). .NET cannot
/// open a directory as a file, so this calls libc. On Windows, NTFS journals metadata and this does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; throws <see cref="IOException"/> on failure.</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"open of a log directory for fsync failed (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of a log directory failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
