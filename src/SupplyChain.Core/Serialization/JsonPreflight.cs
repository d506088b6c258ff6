using System.Text.Json;

namespace SupplyChain.Core.Serialization;

/// <summary>The ways a JSON document can fail the structural preflight.</summary>
internal enum JsonPreflightFailure
{
    None,
    Malformed,
    TrailingData,
    DuplicateKey,
    TooDeep,
}

/// <summary>
/// One streaming pass over untrusted JSON before it is deserialized: exactly one value
/// (RFC 8259 section 2: "JSON-text = ws value ws"), no duplicate object keys (RFC 8259 section 4
/// says names SHOULD be unique; duplicate keys are a known parser-differential attack), bounded depth, and text that
/// is well-formed UTF-8 whose every escaped string decodes (RFC 8259 section 8.1: JSON exchanged between systems "MUST
/// be encoded using UTF-8"; section 8.2: an unpaired surrogate escape such as <c>"\ud800"</c> makes a string whose
/// behavior is unpredictable). System.Text.Json checks strings only when they are read, and then throws
/// InvalidOperationException, so a document that passes here reads without it.
/// </summary>
internal static class JsonPreflight
{
    public static JsonPreflightFailure Check(ReadOnlySpan<byte> utf8Json, int maxDepth, out string? detail)
    {
        detail = null;
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            detail = "the document is not well-formed UTF-8";
            return JsonPreflightFailure.Malformed;
        }

        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = maxDepth + 1,
            AllowMultipleValues = true,
        });

        var keyStack = new Stack<HashSet<string>?>();
        bool first = true;
        bool completedValue = false;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && !first && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
                {
                    detail = $"unexpected data after the JSON value, at {JsonErrorText.Position(utf8Json, (int)reader.TokenStartIndex)}";
                    return JsonPreflightFailure.TrailingData;
                }

                first = false;
                completedValue = reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            detail = $"nesting deeper than {maxDepth}";
                            return JsonPreflightFailure.TooDeep;
                        }

                        keyStack.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        keyStack.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        string name = reader.GetString()!;
                        if (!keyStack.Peek()!.Add(name))
                        {
                            detail = $"key '{Truncate(name)}' appears twice";
                            return JsonPreflightFailure.DuplicateKey;
                        }

                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // Unescaping is where an unpaired surrogate escape fails (InvalidOperationException, below).
                        _ = reader.GetString();
                        break;
                }
            }

            if (first)
            {
                detail = "empty document";
                return JsonPreflightFailure.Malformed;
            }
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString: a name that is not valid UTF-8 (RFC 8259 section 8.1) or a name or escaped string
            // that does not decode (an unpaired surrogate escape).
            detail = $"a string that is not well-formed Unicode at {JsonErrorText.Position(utf8Json, (int)reader.TokenStartIndex)}";
            return JsonPreflightFailure.Malformed;
        }
        catch (JsonException ex)
        {
            if (completedValue)
            {
                detail = $"unexpected data after the JSON value, at {JsonErrorText.Position(utf8Json, (int)reader.BytesConsumed)}";
                return JsonPreflightFailure.TrailingData;
            }

            if (reader.CurrentDepth >= maxDepth)
            {
                detail = $"nesting deeper than {maxDepth}";
                return JsonPreflightFailure.TooDeep;
            }

            detail = JsonErrorText.Describe(utf8Json, ex);
            return JsonPreflightFailure.Malformed;
        }

        return JsonPreflightFailure.None;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
