using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using SupplyChain.Core.Errors;
using SupplyChain.Tuf.Client;
using SupplyChain.Tuf.Metadata;

namespace SupplyChain.Tuf.Tests;

/// <summary>Unit tests of the metadata layer: canonical JSON, expires, key types, thresholds, path patterns.</summary>
public sealed class MetadataTests
{
    [Theory]
    [InlineData("2021-12-18T13:28:12.99008-06:00", "2021-12-18T19:28:12.9900800+00:00")]
    [InlineData("2022-05-11T19:09:02.663975009Z", "2022-05-11T19:09:02.6639750+00:00")]
    [InlineData("2026-11-20T13:58:18Z", "2026-11-20T13:58:18.0000000+00:00")]
    public void Expires_accepts_fractions_and_offsets(string text, string expected)
    {
        Assert.True(TufTime.TryParse(text, out DateTimeOffset value));
        Assert.Equal(expected, value.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-11-20")]
    [InlineData("2026-11-20T13:58:18")]
    [InlineData("2026-13-20T13:58:18Z")]
    [InlineData("")]
    public void Expires_rejects_other_strings(string text) => Assert.False(TufTime.TryParse(text, out _));

    [Fact]
    public void Canonical_json_sorts_keys_escapes_only_quote_and_backslash_and_has_no_whitespace()
    {
        using JsonDocument doc = JsonDocument.Parse("{\"b\": [1, true, null], \"a\": \"x\\\"y\\\\z\\n\u00e9\", \"A\": {}}");
        string canonical = Encoding.UTF8.GetString(CanonicalJson.Encode(doc.RootElement));
        Assert.Equal("{\"A\":{},\"a\":\"x\\\"y\\\\z\n\u00e9\",\"b\":[1,true,null]}", canonical);
        using JsonDocument floats = JsonDocument.Parse("{\"f\": 1.5}");
        Assert.Equal(TufErrors.MetadataMalformed, Assert.ThrowsAny<SupplyChainException>(() => CanonicalJson.Encode(floats.RootElement)).Error);
    }

    [Theory]
    [InlineData("registry.npmjs.org/*", "registry.npmjs.org/keys.json", true)]
    [InlineData("registry.npmjs.org/*", "registry.npmjs.org/a/keys.json", false)]
    [InlineData("*.json", "trusted_root.json", true)]
    [InlineData("*.json", "dir/trusted_root.json", false)]
    [InlineData("f?o/*.t*t", "foo/bar.txt", true)]
    [InlineData("foo", "foobar", false)]
    public void Delegation_path_patterns_match_segment_by_segment(string pattern, string path, bool matches) =>
        Assert.Equal(matches, TufUpdater.MatchesPattern(pattern, path));

    [Fact]
    public void Path_hash_prefixes_match_the_sha256_of_the_path()
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData("a/b.txt"u8));
        Assert.True(TufUpdater.IsDelegated(new DelegatedRole("r", new RoleKeys(["k"], 1), false, null, [hash[..4]]), "a/b.txt"));
        Assert.False(TufUpdater.IsDelegated(new DelegatedRole("r", new RoleKeys(["k"], 1), false, null, ["zz"]), "a/b.txt"));
    }

    [Fact]
    public void Thresholds_count_distinct_keys_not_keyids_and_skip_empty_sigs()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = ec.ExportParameters(false);
        string hexPoint = "04" + Convert.ToHexStringLower(p.Q.X!) + Convert.ToHexStringLower(p.Q.Y!);

        // Ed25519 (hex 32 bytes) via BouncyCastle, RSA-PSS (PEM).
        var edPrivate = new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
        string edHex = Convert.ToHexStringLower(edPrivate.GeneratePublicKey().GetEncoded());
        using var rsa = RSA.Create(2048);

        var keys = new JsonObject
        {
            ["ec-hex"] = new JsonObject { ["keytype"] = "ecdsa-sha2-nistp256", ["scheme"] = "ecdsa-sha2-nistp256", ["keyval"] = new JsonObject { ["public"] = hexPoint } },
            ["ec-alias"] = new JsonObject { ["keytype"] = "ecdsa", ["scheme"] = "ecdsa-sha2-nistp256", ["keyval"] = new JsonObject { ["public"] = ec.ExportSubjectPublicKeyInfoPem() } },
            ["ed"] = new JsonObject { ["keytype"] = "ed25519", ["scheme"] = "ed25519", ["keyval"] = new JsonObject { ["public"] = edHex } },
            ["ed-alias"] = new JsonObject { ["keytype"] = "ed25519", ["scheme"] = "ed25519", ["keyval"] = new JsonObject { ["public"] = edHex } },
            ["rsa"] = new JsonObject { ["keytype"] = "rsa", ["scheme"] = "rsassa-pss-sha256", ["keyval"] = new JsonObject { ["public"] = rsa.ExportSubjectPublicKeyInfoPem() } },
            ["odd"] = new JsonObject { ["keytype"] = "sigstore-oidc", ["scheme"] = "Fulcio", ["keyval"] = new JsonObject { ["identity"] = "x", ["issuer"] = "y" } },
            ["bad-pem"] = new JsonObject { ["keytype"] = "ecdsa", ["scheme"] = "ecdsa-sha2-nistp256", ["keyval"] = new JsonObject { ["public"] = "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n" } },
        };
        var signed = new JsonObject { ["_type"] = "timestamp", ["spec_version"] = "1.0.31", ["version"] = 1, ["expires"] = "2030-01-01T00:00:00Z", ["meta"] = new JsonObject() };
        using JsonDocument doc = JsonDocument.Parse(signed.ToJsonString());
        byte[] canonical = CanonicalJson.Encode(doc.RootElement);
        string ecSig = Convert.ToHexStringLower(ec.SignData(canonical, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var ed = new Ed25519Signer();
        ed.Init(true, edPrivate);
        ed.BlockUpdate(canonical, 0, canonical.Length);
        string edSig = Convert.ToHexStringLower(ed.GenerateSignature());
        string rsaSig = Convert.ToHexStringLower(rsa.SignData(canonical, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));

        var envelope = new JsonObject
        {
            ["signed"] = signed,
            ["signatures"] = new JsonArray(
                Sig("ec-hex", ecSig), Sig("ec-alias", ecSig), Sig("ed", ""), Sig("ed-alias", edSig), Sig("rsa", rsaSig), Sig("odd", "00"), Sig("bad-pem", "zz")),
        };
        MetadataFile file = MetadataFile.Parse(Encoding.UTF8.GetBytes(envelope.ToJsonString()), "timestamp", "test");
        using JsonDocument keysDoc = JsonDocument.Parse(keys.ToJsonString());
        Dictionary<string, TufKey> parsed = RootMetadata.ParseKeys(keysDoc.RootElement, "test");

        Assert.Equal(3, Signatures.CountValid(file, parsed, new RoleKeys(["ec-hex", "ec-alias", "ed", "ed-alias", "rsa", "odd", "bad-pem"], 1)));
        Assert.Equal(1, Signatures.CountValid(file, parsed, new RoleKeys(["ec-hex", "ec-alias"], 1)));
        Assert.Equal(0, Signatures.CountValid(file, parsed, new RoleKeys(["ed"], 1)));
        Assert.Equal(0, Signatures.CountValid(file, parsed, new RoleKeys(["odd"], 1)));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => Signatures.VerifyThreshold(file, parsed, new RoleKeys(["ec-hex", "ec-alias"], 2), "test", TufErrors.ThresholdNotMet));
        Assert.Equal(TufErrors.ThresholdNotMet, ex.Error);

        // One keyid twice in "signatures" is malformed, even when the second entry is a valid signature.
        envelope["signatures"] = new JsonArray(Sig("ed", ""), Sig("ed", edSig));
        var duplicate = Assert.ThrowsAny<SupplyChainException>(() => MetadataFile.Parse(Encoding.UTF8.GetBytes(envelope.ToJsonString()), "timestamp", "test"));
        Assert.Equal(TufErrors.MetadataMalformed, duplicate.Error);

        static JsonObject Sig(string keyId, string sig) => new() { ["keyid"] = keyId, ["sig"] = sig };
    }

    [Theory]
    [InlineData("{}", "SC3004")]
    [InlineData("[]", "SC3004")]
    [InlineData("{\"signed\": {}, \"signatures\": []}", "SC3004")]
    [InlineData("{\"signed\": {\"_type\": \"timestamp\", \"spec_version\": \"1.0\", \"version\": 0, \"expires\": \"2030-01-01T00:00:00Z\"}, \"signatures\": []}", "SC3004")]
    [InlineData("{\"signed\": {\"_type\": \"timestamp\", \"spec_version\": \"1.0\", \"version\": 1, \"expires\": \"soon\"}, \"signatures\": []}", "SC3004")]
    [InlineData("{\"signed\": {\"_type\": \"targets\", \"spec_version\": \"1.0\", \"version\": 1, \"expires\": \"2030-01-01T00:00:00Z\"}, \"signatures\": []}", "SC3005")]
    [InlineData("{\"signed\": {\"_type\": \"timestamp\", \"_type\": \"timestamp\"}, \"signatures\": []}", "SC3004")]
    public void Malformed_metadata_fails_with_its_code(string json, string code)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => MetadataFile.Parse(Encoding.UTF8.GetBytes(json), "timestamp", "test"));
        Assert.Equal(code, ex.Code);
    }
}
