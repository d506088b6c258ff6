using System.Collections.Concurrent;

namespace SupplyChain.Tuf.Client;

/// <summary>
/// The local metadata and target cache. Writes are atomic (a temporary file in the same directory, then a rename).
/// When the directory cannot be created or written (read-only file systems, containers), the cache continues in
/// memory: files already on disk are still read, new ones are kept in memory, and <see cref="Warning"/> says so.
/// </summary>
internal sealed class TufCache
{
    private readonly ConcurrentDictionary<string, (byte[] Data, DateTimeOffset WrittenAt)> _memory = new(StringComparer.Ordinal);

    // Files deleted while the directory could not be written: the copies on disk are no longer read.
    private readonly ConcurrentDictionary<string, bool> _deleted = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TufCache(string? directory, TimeProvider time)
    {
        _time = time;
        Directory = directory;
        if (directory is null)
        {
            InMemory = true;
            return;
        }

        try
        {
            System.IO.Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            SwitchToMemory(ex);
        }
    }

    /// <summary>The cache directory (also read when <see cref="InMemory"/>), or <see langword="null"/>.</summary>
    public string? Directory { get; }

    /// <summary><see langword="true"/> when new files are kept in memory only.</summary>
    public bool InMemory { get; private set; }

    /// <summary>Why the cache is in memory, when it fell back there.</summary>
    public string? Warning { get; private set; }

    /// <summary>Reads a cached file, or <see langword="null"/>. Files over <paramref name="maxBytes"/> are ignored.</summary>
    public byte[]? Read(string name, long maxBytes)
    {
        if (_memory.TryGetValue(name, out var entry))
        {
            return entry.Data;
        }

        if (Directory is null || _deleted.ContainsKey(name))
        {
            return null;
        }

        try
        {
            var info = new FileInfo(Path.Combine(Directory, name));
            return info.Exists && info.Length <= maxBytes ? File.ReadAllBytes(info.FullName) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>When the file was written (by this cache's clock), or <see langword="null"/>.</summary>
    public DateTimeOffset? WrittenAt(string name)
    {
        if (_memory.TryGetValue(name, out var entry))
        {
            return entry.WrittenAt;
        }

        if (Directory is null || _deleted.ContainsKey(name))
        {
            return null;
        }

        var info = new FileInfo(Path.Combine(Directory, name));
        return info.Exists ? new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) : null;
    }

    /// <summary>Where <paramref name="name"/> lives, for messages.</summary>
    public string Describe(string name) =>
        _memory.ContainsKey(name) || Directory is null ? $"memory:{name}" : Path.Combine(Directory, name);

    /// <summary>Removes a file; when the directory cannot be written, the copy on disk is ignored from now on.</summary>
    public void Delete(string name)
    {
        _memory.TryRemove(name, out _);
        if (Directory is null)
        {
            return;
        }

        string path = Path.Combine(Directory, name);
        if (!InMemory)
        {
            try
            {
                File.Delete(path);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                SwitchToMemory(ex);
            }
        }

        _deleted[name] = true;
    }

    /// <summary>Stores a file atomically; on an I/O failure switches to memory.</summary>
    public void Write(string name, byte[] data)
    {
        DateTimeOffset now = _time.GetUtcNow();
        _deleted.TryRemove(name, out _);
        if (!InMemory && Directory is not null)
        {
            string path = Path.Combine(Directory, name);
            string temp = Path.Combine(Directory, $".{name}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllBytes(temp, data);
                File.SetLastWriteTimeUtc(temp, now.UtcDateTime);
                File.Move(temp, path, overwrite: true);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temp);
                SwitchToMemory(ex);
            }
        }

        _memory[name] = (data, now);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is harmless (names are unique and never read).
        }
    }

    private void SwitchToMemory(Exception ex)
    {
        InMemory = true;
        Warning = $"the TUF cache directory '{Directory}' is not writable ({ex.GetType().Name}: {ex.Message}); continuing with an in-memory cache";
    }
}
