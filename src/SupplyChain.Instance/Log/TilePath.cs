using System.Globalization;
using System.Text;

namespace SupplyChain.Instance.Log;

/// <summary>
/// A C2SP tlog-tiles resource: a hash tile <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> or an entry bundle
/// <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>. <see cref="Width"/> is 256 for a full tile.
/// </summary>
/// <param name="Level">The tile level, or <see cref="EntriesLevel"/> for an entry bundle.</param>
/// <param name="Index">The tile index N.</param>
/// <param name="Width">The number of hashes or entries: 256 for a full tile, 1-255 for a partial one.</param>
internal readonly record struct TilePath(int Level, long Index, int Width)
{
    /// <summary>The level value that stands for entry bundles.</summary>
    public const int EntriesLevel = -1;

    /// <summary>Whether this is a full tile (256 hashes or entries).</summary>
    public bool IsFull => Width == TileGeometry.Width;

    /// <summary>Whether this names an entry bundle rather than a hash tile.</summary>
    public bool IsEntries => Level == EntriesLevel;

    /// <summary>
    /// The relative path with '/' separators. tlog-tiles: "&lt;N&gt; is the index of the tile ... encoded as
    /// zero-padded 3-digit path elements. All but the last path element ... are prefixed with an x",
    /// and a partial tile is "&lt;N&gt;.p/&lt;W&gt;" with W the width in decimal.
    /// </summary>
    public override string ToString()
    {
        var path = new StringBuilder("tile/");
        path.Append(IsEntries ? "entries" : Level.ToString(CultureInfo.InvariantCulture)).Append('/');
        AppendIndex(path, Index);
        if (!IsFull)
        {
            path.Append(".p/").Append(Width.ToString(CultureInfo.InvariantCulture));
        }

        return path.ToString();
    }

    /// <summary>The file path under <paramref name="root"/>.</summary>
    /// <param name="root">The log directory.</param>
    public string FullPath(string root) => Path.Combine(root, ToString().Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// Parses a tlog-tiles path in its one canonical spelling (so two paths never name one file and no
    /// path leaves the tile tree): no leading zeros in L or W, 3-digit groups, no empty or dot elements.
    /// </summary>
    /// <param name="path">The relative path, such as <c>tile/0/x001/234.p/7</c>.</param>
    /// <param name="tile">The parsed tile.</param>
    public static bool TryParse(string? path, out TilePath tile)
    {
        tile = default;
        if (path is null || path.Length > 64 || !path.StartsWith("tile/", StringComparison.Ordinal))
        {
            return false;
        }

        string[] parts = path[5..].Split('/');
        if (parts.Length < 2)
        {
            return false;
        }

        int level;
        if (parts[0] == "entries")
        {
            level = EntriesLevel;
        }
        else if (!TryParseSmall(parts[0], 0, TileGeometry.MaxLevel, out level))
        {
            return false;
        }

        int width = TileGeometry.Width;
        int indexParts = parts.Length - 1;
        string last = parts[^1];
        if (parts.Length >= 3 && parts[^2].EndsWith(".p", StringComparison.Ordinal))
        {
            if (!TryParseSmall(last, 1, TileGeometry.Width - 1, out width))
            {
                return false;
            }

            indexParts--;
            parts[^2] = parts[^2][..^2];
        }

        long index = 0;
        for (int i = 1; i <= indexParts; i++)
        {
            string element = parts[i];
            bool isLast = i == indexParts;
            if (element.Length != (isLast ? 3 : 4) || (!isLast && element[0] != 'x'))
            {
                return false;
            }

            ReadOnlySpan<char> digits = isLast ? element : element.AsSpan(1);
            if (digits.ContainsAnyExceptInRange('0', '9') || (i == 1 && !isLast && digits.SequenceEqual("000")))
            {
                return false;
            }

            if (index > (long.MaxValue / 1000) - 1000)
            {
                return false;
            }

            index = (index * 1000) + int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        tile = new TilePath(level, index, width);
        return true;
    }

    private static void AppendIndex(StringBuilder path, long index)
    {
        var groups = new Stack<long>();
        do
        {
            groups.Push(index % 1000);
            index /= 1000;
        }
        while (index > 0);

        while (groups.Count > 0)
        {
            long group = groups.Pop();
            if (groups.Count > 0)
            {
                path.Append('x');
            }

            path.Append(group.ToString("D3", CultureInfo.InvariantCulture));
            if (groups.Count > 0)
            {
                path.Append('/');
            }
        }
    }

    private static bool TryParseSmall(string text, int min, int max, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0') || text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value >= min && value <= max;
    }
}
