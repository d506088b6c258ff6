using System.Text.Json;
using SupplyChain.Core.Errors;

namespace SupplyChain.Tuf.Metadata;

/// <summary>Root metadata (TUF spec 4.3): keys, the four top-level roles, consistent_snapshot.</summary>
internal sealed class RootMetadata
{
    private static readonly string[] TopLevelRoles = ["root", "timestamp", "snapshot", "targets"];

    private RootMetadata(MetadataFile file, IReadOnlyDictionary<string, TufKey> keys, IReadOnlyDictionary<string, RoleKeys> roles, bool consistentSnapshot)
    {
        File = file;
        Keys = keys;
        Roles = roles;
        ConsistentSnapshot = consistentSnapshot;
    }

    public MetadataFile File { get; }

    public IReadOnlyDictionary<string, TufKey> Keys { get; }

    public IReadOnlyDictionary<string, RoleKeys> Roles { get; }

    public bool ConsistentSnapshot { get; }

    public long Version => File.Version;

    public static RootMetadata Parse(byte[] raw, string name)
    {
        MetadataFile file = MetadataFile.Parse(raw, "root", name);
        Dictionary<string, TufKey> keys = ParseKeys(Json.Object(file.Signed, "keys", name), name);
        JsonElement rolesJson = Json.Object(file.Signed, "roles", name);
        var roles = new Dictionary<string, RoleKeys>(StringComparer.Ordinal);
        foreach (string role in TopLevelRoles)
        {
            roles[role] = RoleKeys.Parse(Json.Object(rolesJson, role, name), $"{name} role '{role}'");
        }

        return new RootMetadata(file, keys, roles, Json.OptionalBool(file.Signed, "consistent_snapshot", name, false));
    }

    internal static Dictionary<string, TufKey> ParseKeys(JsonElement keysJson, string name)
    {
        var keys = new Dictionary<string, TufKey>(StringComparer.Ordinal);
        foreach (JsonProperty p in keysJson.EnumerateObject())
        {
            keys[p.Name] = TufKey.Parse(p.Value, $"{name} key '{p.Name}'");
        }

        return keys;
    }

    /// <summary>Checks <paramref name="file"/> carries a threshold of signatures of <paramref name="role"/> (a top-level role).</summary>
    public void VerifyRole(MetadataFile file, string role, string name, ErrorCode failure) =>
        Signatures.VerifyThreshold(file, Keys, Roles[role], name, failure);
}

/// <summary>Timestamp metadata (TUF spec 4.6): the snapshot's version (and optionally length and hashes).</summary>
internal sealed class TimestampMetadata
{
    private TimestampMetadata(MetadataFile file, MetaFileInfo snapshot)
    {
        File = file;
        Snapshot = snapshot;
    }

    public MetadataFile File { get; }

    public MetaFileInfo Snapshot { get; }

    public static TimestampMetadata Parse(byte[] raw, string name)
    {
        MetadataFile file = MetadataFile.Parse(raw, "timestamp", name);
        Dictionary<string, MetaFileInfo> meta = MetaFileInfo.ParseMap(file.Signed, name);
        return meta.TryGetValue("snapshot.json", out MetaFileInfo? snapshot) && meta.Count == 1
            ? new TimestampMetadata(file, snapshot)
            : throw TufErrors.MetadataMalformed.ToException($"{name}: 'meta' must list exactly snapshot.json");
    }
}

/// <summary>Snapshot metadata (TUF spec 4.4): the version (and optionally length and hashes) of every targets role.</summary>
internal sealed class SnapshotMetadata
{
    private SnapshotMetadata(MetadataFile file, IReadOnlyDictionary<string, MetaFileInfo> meta)
    {
        File = file;
        Meta = meta;
    }

    public MetadataFile File { get; }

    public IReadOnlyDictionary<string, MetaFileInfo> Meta { get; }

    public static SnapshotMetadata Parse(byte[] raw, string name)
    {
        MetadataFile file = MetadataFile.Parse(raw, "snapshot", name);
        return new SnapshotMetadata(file, MetaFileInfo.ParseMap(file.Signed, name));
    }
}

/// <summary>Targets or delegated-targets metadata (TUF spec 4.5).</summary>
internal sealed class TargetsMetadata
{
    private TargetsMetadata(MetadataFile file, IReadOnlyDictionary<string, TargetFileInfo> targets, IReadOnlyDictionary<string, TufKey> delegationKeys, IReadOnlyList<DelegatedRole> delegations)
    {
        File = file;
        Targets = targets;
        DelegationKeys = delegationKeys;
        Delegations = delegations;
    }

    public MetadataFile File { get; }

    public IReadOnlyDictionary<string, TargetFileInfo> Targets { get; }

    public IReadOnlyDictionary<string, TufKey> DelegationKeys { get; }

    public IReadOnlyList<DelegatedRole> Delegations { get; }

    public static TargetsMetadata Parse(byte[] raw, string name)
    {
        MetadataFile file = MetadataFile.Parse(raw, "targets", name);
        var targets = new Dictionary<string, TargetFileInfo>(StringComparer.Ordinal);
        foreach (JsonProperty p in Json.Object(file.Signed, "targets", name).EnumerateObject())
        {
            string at = $"{name} target '{p.Name}'";
            if (p.Value.ValueKind != JsonValueKind.Object)
            {
                throw TufErrors.MetadataMalformed.ToException($"{at} is not an object");
            }

            targets[p.Name] = new TargetFileInfo(p.Name, Json.Integer(p.Value, "length", at, 0), Json.OptionalHashes(p.Value, at) ?? throw TufErrors.MetadataMalformed.ToException($"{at} has no hashes"));
        }

        var keys = new Dictionary<string, TufKey>(StringComparer.Ordinal);
        var roles = new List<DelegatedRole>();
        if (Json.OptionalObject(file.Signed, "delegations", name) is { } delegations)
        {
            keys = RootMetadata.ParseKeys(Json.Object(delegations, "keys", name), name);
            foreach (JsonElement r in Json.Array(delegations, "roles", name).EnumerateArray())
            {
                if (r.ValueKind != JsonValueKind.Object)
                {
                    throw TufErrors.MetadataMalformed.ToException($"{name}: a delegated role is not an object");
                }

                string roleName = Json.String(r, "name", name);
                string at = $"{name} delegation '{roleName}'";
                List<string>? paths = r.TryGetProperty("paths", out JsonElement pathsJson) ? Json.StringArray(Json.Array(r, "paths", at), at) : null;
                List<string>? prefixes = r.TryGetProperty("path_hash_prefixes", out _) ? Json.StringArray(Json.Array(r, "path_hash_prefixes", at), at) : null;
                if ((paths is null) == (prefixes is null))
                {
                    throw TufErrors.MetadataMalformed.ToException($"{at} must have exactly one of 'paths' and 'path_hash_prefixes'");
                }

                if (roles.Any(x => x.Name == roleName) || roleName is "root" or "timestamp" or "snapshot" or "targets")
                {
                    throw TufErrors.MetadataMalformed.ToException($"{at}: duplicate or reserved role name");
                }

                roles.Add(new DelegatedRole(roleName, RoleKeys.Parse(r, at), Json.OptionalBool(r, "terminating", at, false), paths, prefixes));
            }
        }

        return new TargetsMetadata(file, targets, keys, roles);
    }
}
