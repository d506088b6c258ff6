using System.Text.Json;

namespace SupplyChain.Tuf.Metadata;

/// <summary>Typed reads of TUF metadata fields; a missing or mistyped field is SC3004. Unknown fields are ignored (TUF spec: clients must tolerate them).</summary>
internal static class Json
{
    public static JsonElement Object(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Object)
        {
            throw TufErrors.MetadataMalformed.ToException($"{where}: '{name}' must be an object");
        }

        return value;
    }

    public static JsonElement? OptionalObject(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw TufErrors.MetadataMalformed.ToException($"{where}: '{name}' must be an object");
    }

    public static JsonElement Array(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            throw TufErrors.MetadataMalformed.ToException($"{where}: '{name}' must be an array");
        }

        return value;
    }

    public static string String(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw TufErrors.MetadataMalformed.ToException($"{where}: '{name}' must be a string");
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            // RFC 8259 section 8.2: an escape that does not decode (an unpaired surrogate such as "\ud800").
            throw TufErrors.MetadataMalformed.ToException($"{where}: '{name}' is not well-formed Unicode", ex);
        }
    }

    public static long Integer(JsonElement parent, string name, string where, long min)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n) || n < min)
        {
            throw TufErrors.MetadataMalformed.ToException($"{where}: '{name}' must be an integer of at least {min}");
        }

        return n;
    }

    public static long? OptionalInteger(JsonElement parent, string name, string where, long min) =>
        parent.TryGetProperty(name, out _) ? Integer(parent, name, where, min) : null;

    public static bool OptionalBool(JsonElement parent, string name, string where, bool defaultValue)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw TufErrors.MetadataMalformed.ToException($"{where}: '{name}' must be a boolean"),
        };
    }

    public static List<string> StringArray(JsonElement array, string where)
    {
        var result = new List<string>();
        foreach (JsonElement item in array.EnumerateArray())
        {
            result.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw TufErrors.MetadataMalformed.ToException($"{where}: array items must be strings"));
        }

        return result;
    }

    /// <summary>Reads <c>hashes</c> (algorithm to lowercase hex), when present.</summary>
    public static Dictionary<string, string>? OptionalHashes(JsonElement parent, string where)
    {
        JsonElement? hashes = OptionalObject(parent, "hashes", where);
        if (hashes is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in hashes.Value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString()!.Length == 0)
            {
                throw TufErrors.MetadataMalformed.ToException($"{where}: hash '{p.Name}' must be a hex string");
            }

            result[p.Name] = p.Value.GetString()!.ToLowerInvariant();
        }

        return result.Count > 0 ? result : throw TufErrors.MetadataMalformed.ToException($"{where}: 'hashes' is empty");
    }
}
