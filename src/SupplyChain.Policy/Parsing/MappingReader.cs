using System.Globalization;

namespace SupplyChain.Policy.Parsing;

/// <summary>
/// Typed, strict reads of one mapping: each key may be read once, <see cref="EnsureAllRead"/> refuses any key the
/// schema did not ask for (SC5004), and a value of the wrong type is SC5006. Messages name the path, such as
/// <c>rules[1].authorities[0].keyless.issuer</c>.
/// </summary>
internal sealed class MappingReader
{
    private readonly MappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private MappingReader(MappingNode node, string path)
    {
        _node = node;
        Path = path;
    }

    public string Path { get; }

    public static MappingReader From(PolicyNode node, string path) => node is MappingNode mapping
        ? new MappingReader(mapping, path)
        : throw Invalid(path, node, "must be a mapping");

    public PolicyNode? Optional(string key)
    {
        _read.Add(key);
        foreach (KeyValuePair<string, PolicyNode> entry in _node.Entries)
        {
            if (entry.Key == key)
            {
                return entry.Value is ScalarNode { IsNull: true } ? null : entry.Value;
            }
        }

        return null;
    }

    public PolicyNode Required(string key) => Optional(key) ?? throw PolicyErrors.PolicyInvalidValue.ToException($"{Child(key)} is required");

    public string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    public string? OptionalString(string key) => Optional(key) is { } node ? AsString(node, Child(key)) : null;

    public string RequiredString(string key) => AsString(Required(key), Child(key));

    public int OptionalInt(string key, int defaultValue, int min, int max)
    {
        if (Optional(key) is not { } node)
        {
            return defaultValue;
        }

        return node is ScalarNode { Kind: ScalarKind.Plain } s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw Invalid(Child(key), node, $"must be an integer from {min} to {max}");
    }

    public bool OptionalBool(string key, bool defaultValue)
    {
        if (Optional(key) is not { } node)
        {
            return defaultValue;
        }

        return node is ScalarNode { Kind: ScalarKind.Plain, Value: "true" or "false" } s
            ? s.Value == "true"
            : throw Invalid(Child(key), node, "must be true or false");
    }

    public List<PolicyNode> OptionalSequence(string key) => Optional(key) switch
    {
        null => [],
        SequenceNode sequence => [.. sequence.Items],
        PolicyNode other => throw Invalid(Child(key), other, "must be a list"),
    };

    public List<string> OptionalStrings(string key)
    {
        List<PolicyNode> items = OptionalSequence(key);
        return [.. items.Select((item, i) => AsString(item, $"{Child(key)}[{i}]"))];
    }

    /// <summary>Refuses any key that was not read: the schema is closed (SC5004).</summary>
    public void EnsureAllRead()
    {
        foreach (KeyValuePair<string, PolicyNode> entry in _node.Entries)
        {
            if (!_read.Contains(entry.Key))
            {
                string where = entry.Value.Position.Length == 0 ? string.Empty : $" (at {entry.Value.Position})";
                throw PolicyErrors.PolicyUnknownKey.ToException($"{Child(Shorten(entry.Key))}{where} is not part of the policy schema");
            }
        }
    }

    public static string AsString(PolicyNode node, string path) => node is ScalarNode { IsNull: false } s && s.Value.Length > 0
        ? s.Value
        : throw Invalid(path, node, "must be a non-empty string");

    public static Core.Errors.SupplyChainException Invalid(string path, PolicyNode node, string what)
    {
        string where = node.Position.Length == 0 ? string.Empty : $" (at {node.Position})";
        return PolicyErrors.PolicyInvalidValue.ToException($"{path}{where} {what}");
    }

    private static string Shorten(string key) => key.Length <= 64 ? key : key[..64] + "...";
}
