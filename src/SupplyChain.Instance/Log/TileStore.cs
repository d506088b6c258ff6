using System.Collections.Concurrent;

namespace SupplyChain.Instance.Log;

/// <summary>
/// Reads tiles and entry bundles from a log directory, checking their sizes, and caches full ones (which
/// never change). tlog-tiles lets a log drop partial tiles once the full tile exists, so a missing partial
/// is served from the full tile's prefix. Thread-safe.
/// </summary>
internal sealed class TileStore(string root)
{
    private readonly ConcurrentDictionary<(int Level, long Index), byte[]> _tiles = new();
    private readonly ConcurrentDictionary<long, List<byte[]>> _bundles = new();

    /// <summary>The log directory.</summary>
    public string Root { get; } = root;

    /// <summary>Exactly <paramref name="width"/> hashes of a tile (SC8105 when missing or of the wrong size).</summary>
    public byte[] ReadTile(int level, long index, int width)
    {
        if (width == TileGeometry.Width && _tiles.TryGetValue((level, index), out byte[]? cached))
        {
            return cached;
        }

        byte[]? data = TryRead(new TilePath(level, index, width), width * TileGeometry.HashSize);
        if (data is null && width < TileGeometry.Width)
        {
            return ReadTile(level, index, TileGeometry.Width)[..(width * TileGeometry.HashSize)];
        }

        if (data is null)
        {
            throw InstanceErrors.LogFileMalformed.ToException($"{new TilePath(level, index, width)} is missing");
        }

        if (data.Length != width * TileGeometry.HashSize)
        {
            throw InstanceErrors.LogFileMalformed.ToException($"{new TilePath(level, index, width)} has {data.Length} bytes, {width * TileGeometry.HashSize} expected");
        }

        if (width == TileGeometry.Width)
        {
            Remember(level, index, data);
        }

        return data;
    }

    /// <summary>Exactly <paramref name="width"/> entries of a bundle (SC8105 when missing, truncated or with trailing bytes).</summary>
    public List<byte[]> ReadBundle(long index, int width)
    {
        if (width == TileGeometry.Width && _bundles.TryGetValue(index, out List<byte[]>? cached))
        {
            return cached;
        }

        var path = new TilePath(TilePath.EntriesLevel, index, width);
        byte[]? data = TryRead(path, Limits.MaxEntryBundleBytes);
        if (data is null && width < TileGeometry.Width)
        {
            return ReadBundle(index, TileGeometry.Width).GetRange(0, width);
        }

        if (data is null)
        {
            throw InstanceErrors.LogFileMalformed.ToException($"{path} is missing");
        }

        List<byte[]> entries = EntryBundle.Decode(data, width, path.ToString());
        if (width == TileGeometry.Width)
        {
            if (_bundles.Count >= Limits.EntryBundleCacheCount)
            {
                _bundles.Clear();
            }

            _bundles[index] = entries;
        }

        return entries;
    }

    /// <summary>Caches a full tile just written.</summary>
    public void Remember(int level, long index, byte[] hashes)
    {
        if (_tiles.Count >= Limits.TileCacheCount)
        {
            _tiles.Clear();
        }

        _tiles[(level, index)] = hashes;
    }

    /// <summary>Drops cached tiles and bundles (after recovery removed files past the checkpoint).</summary>
    public void Forget()
    {
        _tiles.Clear();
        _bundles.Clear();
    }

    /// <summary>The file's bytes, or <see langword="null"/> when it does not exist; SC8105 when larger than <paramref name="maxBytes"/>.</summary>
    private byte[]? TryRead(TilePath path, int maxBytes)
    {
        string file = path.FullPath(Root);
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            if (stream.Length > maxBytes)
            {
                throw InstanceErrors.LogFileMalformed.ToException($"{path} has {stream.Length} bytes, at most {maxBytes} expected");
            }

            byte[] data = new byte[stream.Length];
            stream.ReadExactly(data);
            return data;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
