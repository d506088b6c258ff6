namespace SupplyChain.Instance.Log;

/// <summary>
/// Makes a set of files durable, then one last file (the checkpoint) that must never be durable before them,
/// so that a crash leaves every file either old or new and never torn:
/// (1) each file and the last one are written under a temporary name and fsynced (in parallel, so the
/// file system commits them in one journal transaction); (2) the files are renamed over their names and
/// their directories fsynced; (3) the last file is renamed and its directory fsynced.
/// </summary>
internal static class DurableWriter
{
    /// <summary>The suffix of temporary files, removed when the log is opened.</summary>
    public const string TempSuffix = ".tmp";

    private const int MaxParallelSyncs = 16;

    /// <summary>Writes <paramref name="files"/>, then <paramref name="last"/>, durably and in that order.</summary>
    /// <param name="root">The log directory (the top of any directory created).</param>
    /// <param name="files">The files to write first.</param>
    /// <param name="last">The file renamed only once all of <paramref name="files"/> are durable.</param>
    public static void Write(string root, IReadOnlyList<(string Path, byte[] Data)> files, (string Path, byte[] Data) last)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string path, _) in files.Append(last))
        {
            EnsureDirectory(root, Path.GetDirectoryName(path)!, created);
        }

        // (1) Contents durable under temporary names.
        var all = files.Append(last).ToList();
        ForEachInParallel(all, file =>
        {
            using var stream = new FileStream(file.Path + TempSuffix, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            stream.Write(file.Data);
            stream.Flush(flushToDisk: true);
        });

        // (2) POSIX rename(2) replaces the name atomically; the directory fsync makes the new name durable.
        var directories = new HashSet<string>(created, StringComparer.Ordinal);
        foreach ((string path, _) in files)
        {
            File.Move(path + TempSuffix, path, overwrite: true);
            directories.Add(Path.GetDirectoryName(path)!);
        }

        ForEachInParallel([.. directories], DirectorySync.Flush);

        // (3) Only now the last file, which names what the others hold.
        File.Move(last.Path + TempSuffix, last.Path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(last.Path)!);
    }

    /// <summary>
    /// Runs blocking fsyncs on dedicated threads: they wait on the disk, not the CPU, and concurrent fsyncs
    /// share one journal commit. The first failure is rethrown.
    /// </summary>
    private static void ForEachInParallel<T>(List<T> items, Action<T> action)
    {
        if (items.Count <= 1)
        {
            foreach (T item in items)
            {
                action(item);
            }

            return;
        }

        int next = -1;
        Exception? failure = null;
        var threads = new Thread[Math.Min(items.Count, MaxParallelSyncs)];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < items.Count && Volatile.Read(ref failure) is null)
                {
                    try
                    {
                        action(items[i]);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                }
            })
            { IsBackground = true, Name = "tlog fsync" };
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        if (failure is not null)
        {
            throw new IOException("a durable write of the log failed", failure);
        }
    }

    /// <summary>Creates missing directories up to <paramref name="root"/>, recording each and its parent for fsync.</summary>
    private static void EnsureDirectory(string root, string directory, HashSet<string> created)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        string parent = Path.GetDirectoryName(directory)!;
        if (!string.Equals(directory, root, StringComparison.Ordinal))
        {
            EnsureDirectory(root, parent, created);
        }

        Directory.CreateDirectory(directory);
        created.Add(parent);
        created.Add(directory);
    }
}
