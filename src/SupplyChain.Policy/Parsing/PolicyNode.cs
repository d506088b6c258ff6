namespace SupplyChain.Policy.Parsing;

/// <summary>
/// The document tree both the YAML and the JSON reader produce, so that one binder checks one schema. Mapping keys
/// are unique (the readers refuse duplicates) and keep their order.
/// </summary>
internal abstract class PolicyNode
{
    /// <summary>Where the node starts, for messages: <c>line:column</c> (YAML) or empty (JSON, located by path).</summary>
    public string Position { get; init; } = string.Empty;
}

internal sealed class MappingNode(IReadOnlyList<KeyValuePair<string, PolicyNode>> entries) : PolicyNode
{
    public IReadOnlyList<KeyValuePair<string, PolicyNode>> Entries { get; } = entries;
}

internal sealed class SequenceNode(IReadOnlyList<PolicyNode> items) : PolicyNode
{
    public IReadOnlyList<PolicyNode> Items { get; } = items;
}

/// <summary>How a scalar was written: quoted text is always a string; plain text (YAML plain, JSON numbers and literals) may be a number, boolean or null.</summary>
internal enum ScalarKind
{
    Quoted,
    Plain,
}

internal sealed class ScalarNode(string value, ScalarKind kind) : PolicyNode
{
    public string Value { get; } = value;

    public ScalarKind Kind { get; } = kind;

    /// <summary>YAML 1.2 core schema nulls written plain (<c>null</c>, <c>~</c>, empty); JSON <c>null</c>.</summary>
    public bool IsNull => Kind == ScalarKind.Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>Counts nodes and nesting while a reader builds the tree (SC5001).</summary>
internal sealed class NodeBudget
{
    private int _nodes;

    public void Enter(int depth)
    {
        if (++_nodes > Limits.MaxPolicyNodes)
        {
            throw PolicyErrors.PolicyTooLarge.ToException($"more than {Limits.MaxPolicyNodes} values");
        }

        if (depth > Limits.MaxPolicyDepth)
        {
            throw PolicyErrors.PolicyTooLarge.ToException($"nested deeper than {Limits.MaxPolicyDepth}");
        }
    }
}
