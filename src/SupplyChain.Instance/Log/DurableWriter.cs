namespace SupplyChain.Instance.Log;

/// <summary>
/// Writes files so that a crash leaves either the old or the new file, never a torn one: each file is
/// written to a temporary name, fsynced and renamed over its final name; <see cref="FlushDirectories"/>
/// then makes every rename and created directory durable. Not thread-safe: one per commit.
/// </summary>
internal sealed class DurableWriter(string root)
{
    /// <summary>The suffix of temporary files, removed when the log is opened.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>The log directory.</summary>
    public string Root { get; } = root;

    private readonly HashSet<string> _dirtyDirectories = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> (temp file, fsync, rename).</summary>
    public void Write(string path, ReadOnlySpan<byte> data)
    {
        string directory = Path.GetDirectoryName(path)!;
        EnsureDirectory(directory);
        string temp = path + TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        _dirtyDirectories.Add(directory);
    }

    /// <summary>fsyncs every directory that gained an entry since the last call.</summary>
    public void FlushDirectories()
    {
        foreach (string directory in _dirtyDirectories.OrderByDescending(d => d.Length))
        {
            DirectorySync.Flush(directory);
        }

        _dirtyDirectories.Clear();
    }

    private void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        string parent = Path.GetDirectoryName(directory)!;
        if (!string.Equals(Path.GetFullPath(directory), Path.GetFullPath(Root), StringComparison.Ordinal))
        {
            EnsureDirectory(parent);
        }

        Directory.CreateDirectory(directory);
        _dirtyDirectories.Add(parent);
        _dirtyDirectories.Add(directory);
    }
}
