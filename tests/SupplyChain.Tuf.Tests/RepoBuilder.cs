using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Tuf.Metadata;

namespace SupplyChain.Tuf.Tests;

/// <summary>
/// Generates small TUF repositories in C# (consistent snapshots, ECDSA P-256 keys of keytype <c>ecdsa</c> with PEM
/// public keys, hex DER signatures over canonical JSON) for the attack scenarios. The canonical JSON encoder is the
/// one under test; its agreement with securesystemslib is proven by the real Sigstore repositories.
/// </summary>
internal sealed class RepoBuilder : IDisposable
{
    public RepoBuilder(DateTimeOffset now)
    {
        Now = now;
        Dir = Tuf.TempDir();
        Directory.CreateDirectory(Path.Combine(Dir, "targets"));
        RootKeys = [ECDsa.Create(ECCurve.NamedCurves.nistP256), ECDsa.Create(ECCurve.NamedCurves.nistP256), ECDsa.Create(ECCurve.NamedCurves.nistP256)];
        Targets["trusted_root.json"] = EmbeddedRoots.ProductionTrustedRoot.ToArray();
    }

    public DateTimeOffset Now { get; }

    public string Dir { get; }

    public ECDsa[] RootKeys { get; set; }

    public int RootThreshold { get; set; } = 2;

    public ECDsa TimestampKey { get; set; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa SnapshotKey { get; set; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa TargetsKey { get; set; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public int RootVersion { get; private set; }

    public int TimestampVersion { get; set; } = 1;

    public int SnapshotVersion { get; set; } = 1;

    public int TargetsVersion { get; set; } = 1;

    public TimeSpan TimestampLifetime { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan SnapshotLifetime { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan TargetsLifetime { get; set; } = TimeSpan.FromDays(30);

    public Dictionary<string, byte[]> Targets { get; } = new(StringComparer.Ordinal);

    /// <summary>Delegated roles of the top-level targets role, in order.</summary>
    public List<Delegation> Delegations { get; } = [];

    public byte[] Root(int version) => File.ReadAllBytes(Path.Combine(Dir, $"{version}.root.json"));

    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public static JsonObject PublicKey(ECDsa key) => new()
    {
        ["keytype"] = "ecdsa",
        ["scheme"] = "ecdsa-sha2-nistp256",
        ["keyval"] = new JsonObject { ["public"] = key.ExportSubjectPublicKeyInfoPem() },
    };

    /// <summary>Publishes <c>N.root.json</c> for the next version, signed by <paramref name="signers"/> (default: this root's keys and the previous root's).</summary>
    public byte[] PublishRoot(IEnumerable<(string KeyId, ECDsa Key)>? signers = null, TimeSpan? lifetime = null, int? versionOverride = null, Action<JsonObject>? tweak = null)
    {
        RootVersion++;
        var keys = new JsonObject();
        foreach (ECDsa k in RootKeys.Concat([TimestampKey, SnapshotKey, TargetsKey]))
        {
            keys[KeyId(k)] = PublicKey(k);
        }

        JsonObject Role(IEnumerable<ECDsa> ks, int threshold) => new()
        {
            ["keyids"] = new JsonArray(ks.Select(k => (JsonNode)KeyId(k)).ToArray()),
            ["threshold"] = threshold,
        };

        var signed = new JsonObject
        {
            ["_type"] = "root",
            ["spec_version"] = "1.0",
            ["version"] = versionOverride ?? RootVersion,
            ["expires"] = Expires(lifetime ?? TimeSpan.FromDays(365)),
            ["consistent_snapshot"] = true,
            ["keys"] = keys,
            ["roles"] = new JsonObject
            {
                ["root"] = Role(RootKeys, RootThreshold),
                ["timestamp"] = Role([TimestampKey], 1),
                ["snapshot"] = Role([SnapshotKey], 1),
                ["targets"] = Role([TargetsKey], 1),
            },
            ["x-unknown-field"] = "tolerated",
        };
        tweak?.Invoke(signed);
        byte[] bytes = Sign(signed, signers ?? (_previousRootKeys ?? []).Concat(RootKeys).DistinctBy(KeyId).Select(k => (KeyId(k), k)));
        File.WriteAllBytes(Path.Combine(Dir, $"{RootVersion}.root.json"), bytes);
        _previousRootKeys = RootKeys;
        return bytes;
    }

    private ECDsa[]? _previousRootKeys;

    /// <summary>Publishes targets, snapshot and timestamp at the current versions.</summary>
    public void PublishTopLevel(Action<JsonObject>? tweakTargets = null, Action<JsonObject>? tweakSnapshot = null, Action<JsonObject>? tweakTimestamp = null, ECDsa? timestampSigner = null)
    {
        var targets = new JsonObject();
        foreach ((string name, byte[] data) in Targets)
        {
            string sha256 = Convert.ToHexStringLower(SHA256.HashData(data));
            targets[name] = new JsonObject
            {
                ["length"] = data.Length,
                ["hashes"] = new JsonObject { ["sha256"] = sha256, ["sha512"] = Convert.ToHexStringLower(SHA512.HashData(data)) },
            };
            File.WriteAllBytes(Path.Combine(Dir, "targets", $"{sha256}.{name}"), data);
        }

        var targetsSigned = new JsonObject
        {
            ["_type"] = "targets",
            ["spec_version"] = "1.0",
            ["version"] = TargetsVersion,
            ["expires"] = Expires(TargetsLifetime),
            ["targets"] = targets,
        };
        var snapshotMeta = new JsonObject { ["targets.json"] = new JsonObject { ["version"] = TargetsVersion } };
        if (Delegations.Count > 0)
        {
            var delegationKeys = new JsonObject();
            var roles = new JsonArray();
            foreach (Delegation d in Delegations)
            {
                delegationKeys[KeyId(d.Key)] = PublicKey(d.Key);
                roles.Add(new JsonObject
                {
                    ["name"] = d.Name,
                    ["keyids"] = new JsonArray(KeyId(d.Key)),
                    ["threshold"] = 1,
                    ["terminating"] = d.Terminating,
                    ["paths"] = new JsonArray(d.Paths.Select(x => (JsonNode)x).ToArray()),
                });
                var delegatedTargets = new JsonObject();
                foreach ((string name, byte[] data) in d.Targets)
                {
                    string sha256 = Convert.ToHexStringLower(SHA256.HashData(data));
                    delegatedTargets[name] = new JsonObject { ["length"] = data.Length, ["hashes"] = new JsonObject { ["sha256"] = sha256 } };
                    string file = Path.Combine(Dir, "targets", Path.GetDirectoryName(name) ?? string.Empty, $"{sha256}.{Path.GetFileName(name)}");
                    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                    File.WriteAllBytes(file, data);
                }

                var delegatedSigned = new JsonObject
                {
                    ["_type"] = "targets",
                    ["spec_version"] = "1.0",
                    ["version"] = d.Version,
                    ["expires"] = Expires(TargetsLifetime),
                    ["targets"] = delegatedTargets,
                };
                ECDsa signer = d.Signer ?? d.Key;
                File.WriteAllBytes(Path.Combine(Dir, $"{d.Version}.{d.Name}.json"), Sign(delegatedSigned, [(KeyId(d.Key), signer)]));
                snapshotMeta[$"{d.Name}.json"] = new JsonObject { ["version"] = d.Version };
            }

            targetsSigned["delegations"] = new JsonObject { ["keys"] = delegationKeys, ["roles"] = roles };
        }

        tweakTargets?.Invoke(targetsSigned);
        File.WriteAllBytes(Path.Combine(Dir, $"{TargetsVersion}.targets.json"), Sign(targetsSigned, [(KeyId(TargetsKey), TargetsKey)]));

        var snapshotSigned = new JsonObject
        {
            ["_type"] = "snapshot",
            ["spec_version"] = "1.0",
            ["version"] = SnapshotVersion,
            ["expires"] = Expires(SnapshotLifetime),
            ["meta"] = snapshotMeta,
        };
        tweakSnapshot?.Invoke(snapshotSigned);
        File.WriteAllBytes(Path.Combine(Dir, $"{SnapshotVersion}.snapshot.json"), Sign(snapshotSigned, [(KeyId(SnapshotKey), SnapshotKey)]));

        var timestampSigned = new JsonObject
        {
            ["_type"] = "timestamp",
            ["spec_version"] = "1.0",
            ["version"] = TimestampVersion,
            ["expires"] = Expires(TimestampLifetime),
            ["meta"] = new JsonObject { ["snapshot.json"] = new JsonObject { ["version"] = SnapshotVersion } },
        };
        tweakTimestamp?.Invoke(timestampSigned);
        ECDsa tsKey = timestampSigner ?? TimestampKey;
        File.WriteAllBytes(Path.Combine(Dir, "timestamp.json"), Sign(timestampSigned, [(KeyId(TimestampKey), tsKey)]));
    }

    public static byte[] Sign(JsonObject signed, IEnumerable<(string KeyId, ECDsa Key)> signers)
    {
        using JsonDocument doc = JsonDocument.Parse(signed.ToJsonString());
        byte[] canonical = CanonicalJson.Encode(doc.RootElement);
        var signatures = new JsonArray();
        foreach ((string keyId, ECDsa key) in signers)
        {
            signatures.Add(new JsonObject
            {
                ["keyid"] = keyId,
                ["sig"] = Convert.ToHexStringLower(key.SignData(canonical, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            });
        }

        var envelope = new JsonObject { ["signed"] = JsonNode.Parse(signed.ToJsonString()), ["signatures"] = signatures };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Expires(TimeSpan lifetime) => (Now + lifetime).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A delegated targets role for <see cref="RepoBuilder"/>.</summary>
internal sealed record Delegation(string Name, ECDsa Key, string[] Paths, bool Terminating, int Version, Dictionary<string, byte[]> Targets, ECDsa? Signer = null);
