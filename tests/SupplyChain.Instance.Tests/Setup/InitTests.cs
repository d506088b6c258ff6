using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Instance.Setup;

namespace SupplyChain.Instance.Tests.Setup;

/// <summary>instance init: the files, their permissions, the trust documents Core accepts, and the failure codes of a bad directory.</summary>
public sealed class InitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-instance-init-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Init_writes_keys_owner_only_and_trust_documents_that_core_parses()
    {
        LocalInstance.Initialize(_dir, options: new LocalInstanceOptions { Port = 8123 });
        var paths = new InstancePaths(_dir);
        foreach (string key in new[] { paths.CaRootKey, paths.CaIntermediateKey, paths.CtLogKey, paths.TlogKey, paths.TsaLeafKey, paths.OidcKey })
        {
            Assert.True(File.Exists(key), key);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            }
        }

        TrustedRoot root = LocalInstance.ReadTrustedRoot(_dir);
        Assert.Single(root.CertificateAuthorities);
        Assert.Equal(2, root.CertificateAuthorities[0].Chain.Count);
        Assert.Single(root.CertificateTransparencyLogs);
        Assert.Single(root.TimestampAuthorities);
        TransparencyLogInstance log = Assert.Single(root.TransparencyLogs);
        Assert.Equal(Core.Keys.KeyAlgorithm.Ed25519, log.PublicKey.Algorithm);
        Assert.EndsWith(".log.supplychain.localhost", log.OriginHostname, StringComparison.Ordinal);

        SigningConfig config = SigningConfig.Parse(File.ReadAllBytes(paths.SigningConfig));
        Assert.Equal("http://127.0.0.1:8123/", config.CertificateAuthorities[0].Url.AbsoluteUri);
        Assert.Equal(2, config.TransparencyLogs[0].MajorApiVersion);
        Assert.Equal("http://127.0.0.1:8123/api/v1/timestamp", config.TimestampAuthorities[0].Url.AbsoluteUri);

        using LocalInstance instance = LocalInstance.Open(_dir);
        Assert.Equal("local-user@supplychain.localhost", instance.Identity);
        Assert.Equal("https://oidc.supplychain.localhost", instance.Issuer);
        Assert.Equal(0, instance.LogSize);
    }

    [Fact]
    public void Init_over_an_instance_needs_force_and_force_makes_new_keys()
    {
        LocalInstance.Initialize(_dir);
        byte[] before = File.ReadAllBytes(Path.Combine(_dir, "trusted_root.json"));
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "mine");

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Initialize(_dir));
        Assert.Equal("SC8002", ex.Code);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_dir, "trusted_root.json")));

        LocalInstance.Initialize(_dir, force: true);
        Assert.NotEqual(before, File.ReadAllBytes(Path.Combine(_dir, "trusted_root.json")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_dir, "notes.txt")));
    }

    [Fact]
    public void Opening_a_missing_or_broken_instance_fails_with_its_code()
    {
        Assert.Equal("SC8001", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(Path.Combine(_dir, "absent"))).Code);
        Assert.Equal("SC8001", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.ReadTrustedRoot(Path.Combine(_dir, "absent"))).Code);

        LocalInstance.Initialize(_dir);
        var paths = new InstancePaths(_dir);
        string config = File.ReadAllText(paths.Config);

        File.WriteAllText(paths.Config, "{not json");
        Assert.Equal("SC8004", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(_dir)).Code);

        JsonObject node = JsonNode.Parse(config)!.AsObject();
        node["port"] = 70000;
        File.WriteAllText(paths.Config, node.ToJsonString());
        Assert.Equal("SC8004", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(_dir)).Code);

        node["port"] = 8000;
        node["surprise"] = true;
        File.WriteAllText(paths.Config, node.ToJsonString());
        Assert.Equal("SC8004", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(_dir)).Code);

        // Read through the source-generated config DTO: a field of the wrong JSON type, an unknown field inside an
        // external issuer, a duplicate field, or a document that is not an object is SC8004 too, never another exception.
        var wrongTypes = new (string Field, JsonNode Value)[]
        {
            ("port", "8000"), ("issuer", 7), ("externalIssuers", new JsonObject()), ("externalIssuers", new JsonArray((JsonNode?)null)),
            ("externalIssuers", new JsonArray((JsonNode)new JsonObject { ["issuer"] = "https://x.test", ["jwksUrl"] = "https://x.test/jwks", ["extra"] = 1 })),
        };
        var documents = new List<string> { "[]", "null", config.TrimEnd().TrimEnd('}') + ",\"port\":8001}" };
        foreach ((string field, JsonNode value) in wrongTypes)
        {
            JsonObject changed = JsonNode.Parse(config)!.AsObject();
            changed[field] = value;
            documents.Add(changed.ToJsonString());
        }

        foreach (string document in documents)
        {
            File.WriteAllText(paths.Config, document);
            Assert.Equal("SC8004", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(_dir)).Code);
        }

        File.WriteAllText(paths.Config, config);
        File.WriteAllText(paths.CaIntermediateKey, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Assert.Equal("SC8003", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(_dir)).Code);

        File.WriteAllBytes(paths.CaIntermediateKey, new byte[300 * 1024]);
        Assert.Equal("SC8003", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(_dir)).Code);
    }

    [Fact]
    public void The_log_is_held_by_one_opener_at_a_time()
    {
        LocalInstance.Initialize(_dir);
        using (LocalInstance first = LocalInstance.Open(_dir))
        {
            Assert.Equal("SC8101", Assert.ThrowsAny<SupplyChainException>(() => LocalInstance.Open(_dir)).Code);
        }

        using LocalInstance again = LocalInstance.Open(_dir);
        Assert.Equal(0, again.LogSize);
    }

    [Fact]
    public void The_default_directory_follows_xdg_data_home()
    {
        string dir = LocalInstance.DefaultDirectoryFor(name => name == "XDG_DATA_HOME" ? "/data/x" : null);
        Assert.Equal(Path.Combine("/data/x", "supplychain", "instance"), dir);
        string home = LocalInstance.DefaultDirectoryFor(_ => null);
        Assert.EndsWith(Path.Combine("supplychain", "instance"), home, StringComparison.Ordinal);
        Assert.Equal(home, LocalInstance.DefaultDirectoryFor(name => name == "XDG_DATA_HOME" ? "relative/path" : null));
    }
}
