namespace SupplyChain.Oci.Layout;

/// <summary>
/// The files of one OCI image layout directory (image-spec <c>image-layout.md</c>), read and written without leaving it.
/// A layout is untrusted input: every entry read below the root (<c>oci-layout</c>, <c>index.json</c>, <c>blobs</c>,
/// <c>blobs/&lt;alg&gt;</c>, each blob) must be a regular file or directory, never a symbolic link (<c>SC4061</c>), and its
/// size is known before it is opened (a FIFO or device reports 0 and is never opened). Writes go to a temporary file in
/// the root, are flushed to disk, and are renamed into place, so a reader sees the old file or the new one, never half
/// of one; the rename replaces whatever is at the target (even a planted link) instead of writing through it.
/// </summary>
internal sealed class LayoutDirectory
{
    /// <summary>The file that marks a layout (image-layout.md: "The oci-layout file MUST be present").</summary>
    public const string MarkerFile = "oci-layout";

    /// <summary>The entry point (image-layout.md: "The index.json file is REQUIRED").</summary>
    public const string IndexFile = "index.json";

    /// <summary>The lock file writers take turns on (not part of the layout spec; readers ignore it).</summary>
    public const string LockFile = ".supplychain.lock";

    private const string TempPrefix = ".supplychain-";

    public LayoutDirectory(string root)
    {
        Root = root;
    }

    /// <summary>The layout's absolute path, as named (a link at the root itself is the user's choice and is followed).</summary>
    public string Root { get; }

    /// <summary>The path of a blob (image-layout.md: "blobs/&lt;alg&gt;/&lt;encoded&gt;").</summary>
    public static string BlobPath(string digest)
    {
        int colon = digest.IndexOf(':', StringComparison.Ordinal);
        return Path.Combine("blobs", digest[..colon], digest[(colon + 1)..]);
    }

    public bool RootExists => Directory.Exists(Root);

    /// <summary>Whether the entry exists as a regular file (links and other kinds refused with <c>SC4061</c>).</summary>
    public bool FileExists(string relative) => Stat(relative) is not null;

    /// <summary>The size of a regular file, or <c>null</c> when it does not exist; <c>SC4061</c> for a link or a non-regular entry on the way.</summary>
    public long? Stat(string relative)
    {
        string path = Checked(relative);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw OciErrors.LayoutEntryRefused.ToException($"{Describe(relative)} is a symbolic link");
        }

        if (Directory.Exists(path))
        {
            throw OciErrors.LayoutEntryRefused.ToException($"{Describe(relative)} is a directory");
        }

        return info.Exists ? info.Length : null;
    }

    /// <summary>
    /// Reads a whole regular file of at most <paramref name="maxBytes"/>; <c>null</c> when it does not exist. When
    /// <paramref name="expectedBytes"/> is given the file must have exactly that size (<c>SC4007</c> otherwise).
    /// </summary>
    public byte[]? Read(string relative, long maxBytes, long? expectedBytes = null)
    {
        long? size = Stat(relative);
        if (size is null)
        {
            return null;
        }

        if (size > maxBytes || (expectedBytes is { } expected && size != expected))
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{Describe(relative)}: {size} bytes, {(expectedBytes is { } e ? "the descriptor says " + e : "limit " + maxBytes)}");
        }

        // A regular file of size 0 is not opened: a FIFO or a device also reports 0, and opening it could block.
        if (size == 0)
        {
            return [];
        }

        try
        {
            using var stream = new FileStream(Path.Combine(Root, relative), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            var buffer = new byte[size.Value];
            stream.ReadExactly(buffer);

            // Grew between the stat and the read: the file is being replaced under us; what we read is checked anyway.
            return stream.ReadByte() < 0 ? buffer : throw OciErrors.SizeLimitExceeded.ToException($"{Describe(relative)}: larger than its size when opened");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Io("read", relative, ex);
        }
    }

    /// <summary>Creates the root and <c>blobs/&lt;alg&gt;</c> when missing (checking that none is a link).</summary>
    public void EnsureDirectories(string algorithm)
    {
        try
        {
            Directory.CreateDirectory(Root);
            foreach (string relative in new[] { "blobs", Path.Combine("blobs", algorithm) })
            {
                string path = Path.Combine(Root, relative);
                if (new DirectoryInfo(path).LinkTarget is not null)
                {
                    throw OciErrors.LayoutEntryRefused.ToException($"{Describe(relative)} is a symbolic link");
                }

                Directory.CreateDirectory(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Io("create", "blobs/" + algorithm, ex);
        }
    }

    /// <summary>Writes a file atomically: a new temporary file in the root, flushed to disk, renamed over <paramref name="relative"/>.</summary>
    public void WriteAtomically(string relative, ReadOnlySpan<byte> content)
    {
        Checked(relative);
        string temp = Path.Combine(Root, TempPrefix + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            // CreateNew is O_CREAT|O_EXCL: it never opens something planted at the temporary name.
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path.Combine(Root, relative), overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Io("write", relative, ex);
        }
    }

    /// <summary>Opens (creating) the lock file for exclusive use: <c>null</c> while another writer holds it (an advisory <c>flock</c> on Unix).</summary>
    public FileStream? TryLock()
    {
        string path = Path.Combine(Root, LockFile);
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw OciErrors.LayoutEntryRefused.ToException($"{Describe(LockFile)} is a symbolic link");
        }

        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Io("lock", LockFile, ex);
        }
    }

    /// <summary>The directories between the root and the file must not be links (the root itself may be).</summary>
    private string Checked(string relative)
    {
        string? parent = Path.GetDirectoryName(relative);
        while (!string.IsNullOrEmpty(parent))
        {
            var directory = new DirectoryInfo(Path.Combine(Root, parent));
            if (directory.LinkTarget is not null)
            {
                throw OciErrors.LayoutEntryRefused.ToException($"{Describe(parent)} is a symbolic link");
            }

            parent = Path.GetDirectoryName(parent);
        }

        return Path.Combine(Root, relative);
    }

    private string Describe(string relative) => "oci:" + Root + " " + relative.Replace('\\', '/');

    private Core.Errors.SupplyChainException Io(string verb, string relative, Exception ex) =>
        OciErrors.LayoutIoFailed.ToException($"{verb} {Describe(relative)}: {ex.GetType().Name}", ex);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temporary file is harmless to readers (not part of the layout).
        }
    }
}
