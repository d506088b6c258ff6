using System.Text;
using System.Text.Json;

namespace SupplyChain.Policy.Parsing;

/// <summary>
/// Reads a JSON policy into the same tree as YAML: exactly one value (RFC 8259 section 2), no comments or trailing
/// commas, and no duplicate keys (RFC 8259 section 4: names "SHOULD be unique"; duplicates are refused as in YAML).
/// </summary>
internal static class JsonPolicyReader
{
    public static PolicyNode Read(string text)
    {
        var budget = new NodeBudget();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = Limits.MaxPolicyDepth + 1,
        });
        try
        {
            if (!reader.Read())
            {
                throw PolicyErrors.PolicySyntax.ToException("the document is empty");
            }

            PolicyNode root = ReadValue(ref reader, budget, 1);
            if (reader.Read())
            {
                throw PolicyErrors.PolicySyntax.ToException($"data after the JSON value at byte {reader.TokenStartIndex}");
            }

            return root;
        }
        catch (JsonException ex)
        {
            throw PolicyErrors.PolicySyntax.ToException($"line {ex.LineNumber + 1}: {ex.Message}", ex);
        }
    }

    private static PolicyNode ReadValue(ref Utf8JsonReader reader, NodeBudget budget, int depth)
    {
        budget.Enter(depth);
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new ScalarNode(Text(ref reader), ScalarKind.Quoted);
            case JsonTokenType.Number:
                return new ScalarNode(Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Plain);
            case JsonTokenType.True:
                return new ScalarNode("true", ScalarKind.Plain);
            case JsonTokenType.False:
                return new ScalarNode("false", ScalarKind.Plain);
            case JsonTokenType.Null:
                return new ScalarNode("null", ScalarKind.Plain);
            case JsonTokenType.StartArray:
                var items = new List<PolicyNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, budget, depth + 1));
                }

                return new SequenceNode(items);
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, PolicyNode>>();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = Text(ref reader);
                    if (!keys.Add(key))
                    {
                        throw PolicyErrors.PolicyDuplicateKey.ToException($"'{key}' appears twice in one object");
                    }

                    reader.Read();
                    entries.Add(KeyValuePair.Create(key, ReadValue(ref reader, budget, depth + 1)));
                }

                return new MappingNode(entries);
            default:
                throw PolicyErrors.PolicySyntax.ToException($"unexpected JSON token {reader.TokenType}");
        }
    }

    /// <summary>
    /// A string or name; SC5002 when an escape does not decode (RFC 8259 section 8.2: an unpaired surrogate such as
    /// <c>"\ud800"</c>), which <see cref="Utf8JsonReader.GetString"/> throws as InvalidOperationException.
    /// </summary>
    private static string Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw PolicyErrors.PolicySyntax.ToException($"a string at byte {reader.TokenStartIndex} is not well-formed Unicode", ex);
        }
    }
}
