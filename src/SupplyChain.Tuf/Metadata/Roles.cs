using System.Text.Json;

namespace SupplyChain.Tuf.Metadata;

/// <summary>The keyids and threshold of a role (TUF spec 4.3 ROLE, 4.5 DELEGATIONS).</summary>
internal sealed record RoleKeys(IReadOnlyList<string> KeyIds, int Threshold)
{
    public static RoleKeys Parse(JsonElement role, string where)
    {
        List<string> keyIds = Json.StringArray(Json.Array(role, "keyids", where), where);
        if (keyIds.Distinct(StringComparer.Ordinal).Count() != keyIds.Count)
        {
            throw TufErrors.MetadataMalformed.ToException($"{where}: duplicate keyids");
        }

        long threshold = Json.Integer(role, "threshold", where, 1);
        if (threshold > int.MaxValue)
        {
            throw TufErrors.MetadataMalformed.ToException($"{where}: threshold too large");
        }

        return new RoleKeys(keyIds, (int)threshold);
    }
}

/// <summary>A <c>meta</c> entry of timestamp or snapshot (TUF spec 4.4 METAFILES): version, optional length and hashes.</summary>
internal sealed record MetaFileInfo(long Version, long? Length, IReadOnlyDictionary<string, string>? Hashes)
{
    public static Dictionary<string, MetaFileInfo> ParseMap(JsonElement signed, string where)
    {
        var result = new Dictionary<string, MetaFileInfo>(StringComparer.Ordinal);
        foreach (JsonProperty p in Json.Object(signed, "meta", where).EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Object)
            {
                throw TufErrors.MetadataMalformed.ToException($"{where}: meta '{p.Name}' is not an object");
            }

            string at = $"{where} meta '{p.Name}'";
            result[p.Name] = new MetaFileInfo(Json.Integer(p.Value, "version", at, 1), Json.OptionalInteger(p.Value, "length", at, 0), Json.OptionalHashes(p.Value, at));
        }

        return result;
    }
}

/// <summary>A target of a targets role (TUF spec 4.5 TARGETS): length and hashes (required).</summary>
internal sealed record TargetFileInfo(string Path, long Length, IReadOnlyDictionary<string, string> Hashes);

/// <summary>A delegated role (TUF spec 4.5 DELEGATIONS).</summary>
internal sealed record DelegatedRole(string Name, RoleKeys Keys, bool Terminating, IReadOnlyList<string>? Paths, IReadOnlyList<string>? PathHashPrefixes);
