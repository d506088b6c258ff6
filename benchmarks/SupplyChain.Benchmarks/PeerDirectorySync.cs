using System.Runtime.InteropServices;

namespace SupplyChain.Benchmarks;

/// <summary>
/// fsync(2) of a directory for the log-appends peer (a durable file replacement). Written here rather than borrowed
/// from the instance's internal DirectorySync: the peer measures the disk, so it shares no code with what it is
/// compared against, and the instance keeps its internals to itself.
/// </summary>
internal static class PeerDirectorySync
{
    /// <summary>Flushes <paramref name="directory"/>'s entries to disk (nothing to do on Windows, where NTFS journals them).</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"open({directory}) failed (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync({directory}) failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
