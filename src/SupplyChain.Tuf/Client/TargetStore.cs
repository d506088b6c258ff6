namespace SupplyChain.Tuf.Client;

/// <summary>
/// Where verified target files are kept. TUF spec 5.7.2: "In either case, the client MUST write the file to non-volatile
/// storage as FILENAME.EXT." A target is named by its percent-encoded target path (RFC 3986 unreserved characters
/// stay, as python-tuf's <c>quote(path, "")</c>), so a path can never leave the directory; in the metadata cache the
/// name carries a <c>target-</c> prefix so it cannot be taken for metadata.
/// </summary>
internal sealed class TargetStore
{
    private readonly TufCache _cache;
    private readonly bool _inMetadataCache;

    /// <param name="cache">The cache the files live in.</param>
    /// <param name="inMetadataCache">Whether <paramref name="cache"/> is the metadata cache (names get the <c>target-</c> prefix).</param>
    public TargetStore(TufCache cache, bool inMetadataCache)
    {
        _cache = cache;
        _inMetadataCache = inMetadataCache;
    }

    /// <summary>Why the store is in memory, when it fell back there.</summary>
    public string? Warning => _cache.Warning;

    public byte[]? Read(string targetPath, long maxBytes) => _cache.Read(FileName(targetPath), maxBytes);

    public void Write(string targetPath, byte[] data) => _cache.Write(FileName(targetPath), data);

    public DateTimeOffset? WrittenAt(string targetPath) => _cache.WrittenAt(FileName(targetPath));

    public string Describe(string targetPath) => _cache.Describe(FileName(targetPath));

    /// <summary>The file name of <paramref name="targetPath"/>: percent-encoded, and never <c>.</c> or <c>..</c>.</summary>
    internal string FileName(string targetPath)
    {
        string encoded = Uri.EscapeDataString(targetPath);
        if (_inMetadataCache)
        {
            return "target-" + encoded;
        }

        // "." and ".." are unreserved and stay unescaped; encoding the dots keeps the name inside the directory.
        return encoded is "." or ".." ? encoded.Replace(".", "%2E", StringComparison.Ordinal) : encoded;
    }
}
