using System.Buffers.Binary;

namespace SupplyChain.Instance.Log;

/// <summary>
/// tlog-tiles entry bundles: "a sequence of big-endian uint16 length-prefixed log entries", 256 in a full
/// bundle and W in a partial one.
/// </summary>
internal static class EntryBundle
{
    /// <summary>Encodes entries as a bundle.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> entries)
    {
        int length = 0;
        foreach (byte[] entry in entries)
        {
            length += 2 + entry.Length;
        }

        byte[] bundle = new byte[length];
        int offset = 0;
        foreach (byte[] entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.CopyTo(bundle, offset + 2);
            offset += 2 + entry.Length;
        }

        return bundle;
    }

    /// <summary>Decodes a bundle that must hold exactly <paramref name="count"/> entries; SC8105 when it is truncated or has trailing bytes.</summary>
    public static List<byte[]> Decode(ReadOnlySpan<byte> bundle, int count, string name)
    {
        var entries = new List<byte[]>(count);
        int offset = 0;
        while (offset < bundle.Length)
        {
            if (bundle.Length - offset < 2 || entries.Count == count)
            {
                throw InstanceErrors.LogFileMalformed.ToException($"{name}: trailing bytes after the entries");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(bundle[offset..]);
            if (length == 0 || bundle.Length - offset - 2 < length)
            {
                throw InstanceErrors.LogFileMalformed.ToException($"{name}: entry {entries.Count} is empty or truncated");
            }

            entries.Add(bundle.Slice(offset + 2, length).ToArray());
            offset += 2 + length;
        }

        if (entries.Count != count)
        {
            throw InstanceErrors.LogFileMalformed.ToException($"{name}: {entries.Count} entries, {count} expected");
        }

        return entries;
    }
}
