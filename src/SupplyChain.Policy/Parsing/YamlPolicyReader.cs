using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SupplyChain.Policy.Parsing;

/// <summary>
/// Reads a YAML policy from YamlDotNet's event stream (no object mapping, so nothing is instantiated by name).
/// Refused, fail closed: more than one document, anchors and aliases (billion-laughs expansion, and a key can then
/// hide where it came from), explicit tags, non-scalar mapping keys, and duplicate keys (YAML 1.2 section 3.2.1.1:
/// "the content of a mapping node is an unordered set of key/value node pairs, with the restriction that each of the
/// keys is unique").
/// </summary>
internal static class YamlPolicyReader
{
    public static PolicyNode Read(string text)
    {
        var budget = new NodeBudget();
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw PolicyErrors.PolicySyntax.ToException("the document is empty");
            }

            parser.Consume<DocumentStart>();
            PolicyNode root = ReadNode(parser, budget, 1);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                throw PolicyErrors.PolicySyntax.ToException("the file holds more than one YAML document");
            }

            return root;
        }
        catch (YamlException ex)
        {
            throw PolicyErrors.PolicySyntax.ToException($"line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner and parser throw these, not YamlException, on some malformed text (found by fuzzing:
            // a plain scalar cut by a flow indicator, a tag that is no URI); for a policy it is a syntax error all the same.
            // This reader's own checks throw only SupplyChainException, so these come from YamlDotNet. (Telling them apart
            // by Exception.TargetSite is not trim-safe: its metadata may be removed.)
            throw PolicyErrors.PolicySyntax.ToException($"not well-formed YAML: {ex.Message}", ex);
        }
    }

    private static PolicyNode ReadNode(IParser parser, NodeBudget budget, int depth)
    {
        budget.Enter(depth);
        ParsingEvent current = parser.Current ?? throw PolicyErrors.PolicySyntax.ToException("unexpected end of the document");
        string position = $"{current.Start.Line}:{current.Start.Column}";
        switch (current)
        {
            case AnchorAlias:
                throw PolicyErrors.PolicySyntax.ToException($"{position}: YAML aliases are not allowed in a policy");
            case NodeEvent { Anchor.IsEmpty: false }:
                throw PolicyErrors.PolicySyntax.ToException($"{position}: YAML anchors are not allowed in a policy");
            case NodeEvent { Tag.IsEmpty: false } tagged when !IsPlainTag(tagged):
                throw PolicyErrors.PolicySyntax.ToException($"{position}: YAML tags are not allowed in a policy");
            case Scalar scalar:
                parser.MoveNext();
                return new ScalarNode(scalar.Value, scalar.Style is ScalarStyle.Plain ? ScalarKind.Plain : ScalarKind.Quoted) { Position = position };
            case SequenceStart:
                parser.MoveNext();
                var items = new List<PolicyNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, budget, depth + 1));
                }

                return new SequenceNode(items) { Position = position };
            case MappingStart:
                parser.MoveNext();
                var entries = new List<KeyValuePair<string, PolicyNode>>();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    if (ReadNode(parser, budget, depth + 1) is not ScalarNode key)
                    {
                        throw PolicyErrors.PolicySyntax.ToException($"{position}: a mapping key must be a scalar");
                    }

                    if (!keys.Add(key.Value))
                    {
                        throw PolicyErrors.PolicyDuplicateKey.ToException($"{key.Position}: '{key.Value}' appears twice in one mapping");
                    }

                    entries.Add(KeyValuePair.Create(key.Value, ReadNode(parser, budget, depth + 1)));
                }

                return new MappingNode(entries) { Position = position };
            default:
                throw PolicyErrors.PolicySyntax.ToException($"{position}: unexpected {current.GetType().Name}");
        }
    }

    /// <summary>The non-specific tag <c>!</c> that a quoted scalar carries implicitly is not an explicit tag.</summary>
    private static bool IsPlainTag(NodeEvent node) => node.Tag.Value == "!";
}
