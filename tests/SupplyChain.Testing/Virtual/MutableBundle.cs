using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// A bundle as an editable JSON tree, for tamper tests. Paths are dot-separated property names
/// with <c>[i]</c> indexes, e.g. <see cref="BundlePaths.RootHash"/> =
/// <c>verificationMaterial.tlogEntries[0].inclusionProof.rootHash</c>.
/// </summary>
public sealed class MutableBundle
{
    private MutableBundle(JsonObject root) => Root = root;

    /// <summary>The bundle's JSON tree (edit freely).</summary>
    public JsonObject Root { get; }

    /// <summary>Parses bundle JSON.</summary>
    /// <param name="utf8Json">The bundle bytes.</param>
    public static MutableBundle Parse(ReadOnlySpan<byte> utf8Json) =>
        new(JsonNode.Parse(utf8Json.ToArray()) as JsonObject ?? throw new FormatException("the bundle is not a JSON object"));

    /// <summary>The node at <paramref name="path"/>, or <see langword="null"/> when absent.</summary>
    /// <param name="path">A path such as <c>messageSignature.signature</c>.</param>
    public JsonNode? Get(string path)
    {
        JsonNode? node = Root;
        foreach (string segment in Segments(path))
        {
            node = segment.StartsWith('[') ? (node as JsonArray)?[Index(segment)] : (node as JsonObject)?[segment];
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The string at <paramref name="path"/>.</summary>
    /// <param name="path">The path.</param>
    public string GetString(string path) => Get(path)?.GetValue<string>() ?? throw new KeyNotFoundException(path);

    /// <summary>Decodes the base64 string at <paramref name="path"/>.</summary>
    /// <param name="path">The path.</param>
    public byte[] GetBytes(string path) => Convert.FromBase64String(GetString(path));

    /// <summary>Sets (or adds) the value at <paramref name="path"/>; the parent must exist.</summary>
    /// <param name="path">The path.</param>
    /// <param name="value">The new value (e.g. a string, a number, a <see cref="JsonObject"/>).</param>
    public MutableBundle Set(string path, JsonNode? value)
    {
        (JsonNode parent, string last) = Parent(path);
        if (last.StartsWith('['))
        {
            ((JsonArray)parent)[Index(last)] = value;
        }
        else
        {
            ((JsonObject)parent)[last] = value;
        }

        return this;
    }

    /// <summary>Sets the value at <paramref name="path"/> to base64(<paramref name="bytes"/>).</summary>
    /// <param name="path">The path.</param>
    /// <param name="bytes">The bytes.</param>
    public MutableBundle SetBytes(string path, byte[] bytes) => Set(path, Convert.ToBase64String(bytes));

    /// <summary>Flips the low bit of byte <paramref name="byteIndex"/> (negative counts from the end) of the base64 field at <paramref name="path"/>.</summary>
    /// <param name="path">The path of a base64 string.</param>
    /// <param name="byteIndex">Which byte; -1 is the last.</param>
    public MutableBundle FlipBit(string path, int byteIndex = 0)
    {
        byte[] bytes = GetBytes(path);
        int i = byteIndex < 0 ? bytes.Length + byteIndex : byteIndex;
        bytes[i] ^= 0x01;
        return SetBytes(path, bytes);
    }

    /// <summary>Removes the property or array element at <paramref name="path"/>.</summary>
    /// <param name="path">The path.</param>
    public MutableBundle Remove(string path)
    {
        (JsonNode parent, string last) = Parent(path);
        if (last.StartsWith('['))
        {
            ((JsonArray)parent).RemoveAt(Index(last));
        }
        else
        {
            ((JsonObject)parent).Remove(last);
        }

        return this;
    }

    /// <summary>Serializes the (edited) bundle to UTF-8 JSON.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Root.ToJsonString());

    private (JsonNode Parent, string Last) Parent(string path)
    {
        List<string> segments = Segments(path);
        string last = segments[^1];
        string parentPath = string.Concat(segments.Take(segments.Count - 1).Select((s, i) => s.StartsWith('[') || i == 0 ? s : "." + s));
        JsonNode parent = parentPath.Length == 0 ? Root : Get(parentPath) ?? throw new KeyNotFoundException(parentPath);
        return (parent, last);
    }

    private static List<string> Segments(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var segments = new List<string>();
        foreach (string part in path.Split('.'))
        {
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                segments.Add(name);
            }

            for (int i = bracket; i >= 0; i = part.IndexOf('[', i + 1))
            {
                segments.Add(part[i..(part.IndexOf(']', i) + 1)]);
            }
        }

        return segments;
    }

    private static int Index(string segment) => int.Parse(segment.AsSpan(1, segment.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture);
}
