using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Keys;
using SupplyChain.Signing;
using SupplyChain.Signing.Keys;
using SupplyChain.Testing;
using static SupplyChain.Signing.Tests.Keys.KeyTestSupport;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Signing.Tests.Keys;

public class CosignKeyFileTests
{
    private static string FixtureDir(string name) => Path.Combine(TestPaths.TestData, "cosign-keys", name);

    [Theory]
    [InlineData("sigstore-rs-ecdsa-legacy-label", KeyAlgorithm.Ecdsa)]
    [InlineData("sigstore-rs-ecdsa-empty-password", KeyAlgorithm.Ecdsa)]
    [InlineData("sigstore-rs-ed25519", KeyAlgorithm.Ed25519)]
    [InlineData("sigstore-rs-rsa", KeyAlgorithm.Rsa)]
    public void Cosign_fixture_decrypts_with_its_password_and_signs(string fixture, KeyAlgorithm algorithm)
    {
        string pem = File.ReadAllText(Path.Combine(FixtureDir(fixture), "key.pem"));
        byte[] password = File.ReadAllBytes(Path.Combine(FixtureDir(fixture), "password.txt"));
        using KeyFileSigner signer = KeyFileSigner.FromPem(pem, password);
        Assert.Equal(algorithm, signer.Algorithm);
        AssertSignsAndVerifies(signer);
    }

    [Theory]
    [InlineData("sigstore-rs-ecdsa-legacy-label")]
    [InlineData("sigstore-rs-ecdsa-empty-password")]
    [InlineData("sigstore-rs-ed25519")]
    public void Cosign_fixture_with_a_wrong_password_is_SC2004(string fixture)
    {
        string pem = File.ReadAllText(Path.Combine(FixtureDir(fixture), "key.pem"));
        AssertCode(SigningErrors.PrivateKeyPasswordIncorrect, () => KeyFileSigner.FromPem(pem, "1234"u8.ToArray()));
    }

    [Fact]
    public void Generate_encrypt_import_sign_verify_round_trip()
    {
        using KeyFileSigner original = KeyFileSigner.GenerateEcdsaP256();
        string pem = original.ExportCosignEncryptedPem("pässword"u8);
        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        JsonNode body = Body(pem);
        Assert.Equal(32768, (int)body["kdf"]!["params"]!["N"]!);
        Assert.Equal(8, (int)body["kdf"]!["params"]!["r"]!);
        Assert.Equal(1, (int)body["kdf"]!["params"]!["p"]!);
        Assert.Equal(32, Convert.FromBase64String((string)body["kdf"]!["salt"]!).Length);
        Assert.Equal(24, Convert.FromBase64String((string)body["cipher"]!["nonce"]!).Length);

        using KeyFileSigner imported = KeyFileSigner.FromPem(pem, "pässword"u8.ToArray());
        Assert.Equal(original.PublicKeySpki.ToArray(), imported.PublicKeySpki.ToArray());
        AssertSignsAndVerifies(imported);
    }

    [Fact]
    public void Empty_password_round_trips()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = CosignKeyFile.Encrypt(key.ExportPkcs8PrivateKey(), [], 1024, 8, 1);
        using KeyFileSigner signer = KeyFileSigner.FromPem(pem, []);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), signer.PublicKeySpki.ToArray());
    }

    [Fact]
    public void Each_encryption_uses_a_fresh_salt_and_nonce()
    {
        byte[] pkcs8 = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKey();
        JsonNode a = Body(CosignKeyFile.Encrypt(pkcs8, "x"u8, 1024, 8, 1));
        JsonNode b = Body(CosignKeyFile.Encrypt(pkcs8, "x"u8, 1024, 8, 1));
        Assert.NotEqual((string)a["kdf"]!["salt"]!, (string)b["kdf"]!["salt"]!);
        Assert.NotEqual((string)a["cipher"]!["nonce"]!, (string)b["cipher"]!["nonce"]!);
    }

    [Fact]
    public void Tampered_ciphertext_is_SC2004()
    {
        JsonNode body = Body(SmallKey());
        byte[] sealedBox = Convert.FromBase64String((string)body["ciphertext"]!);
        sealedBox[^1] ^= 1;
        body["ciphertext"] = Convert.ToBase64String(sealedBox);
        AssertCode(SigningErrors.PrivateKeyPasswordIncorrect, () => KeyFileSigner.FromPem(Rewrap(body), "pw"u8.ToArray()));
    }

    [Fact]
    public void Scrypt_matches_the_RFC_7914_test_vector()
    {
        // RFC 7914 section 12: scrypt(P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64); PBKDF2 output blocks are
        // independent, so the 32-byte key is the first half of the 64-byte vector.
        byte[] key = CosignKeyFile.DeriveKey("password"u8, "NaCl"u8.ToArray(), 1024, 8, 16);
        Assert.Equal("FDBABE1C9D3472007856E7190D01E9FE7C6AD7CBC8237830E77376634B373162", Convert.ToHexString(key));
    }

    [Fact]
    public void Secretbox_layout_is_tag_then_ciphertext()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] nonce = RandomNumberGenerator.GetBytes(24);
        byte[] sealedBox = CosignKeyFile.SecretBoxSeal("abc"u8, nonce, key);
        Assert.Equal(16 + 3, sealedBox.Length);
        Assert.Equal("abc"u8.ToArray(), CosignKeyFile.SecretBoxOpen(sealedBox, nonce, key));
        Assert.Null(CosignKeyFile.SecretBoxOpen(sealedBox, nonce, RandomNumberGenerator.GetBytes(32)));
    }

    [Theory]
    [InlineData(2097152, 8, 1)] // N > 2^20
    [InlineData(1 << 30, 8, 1)]
    [InlineData(32767, 8, 1)] // not a power of two
    [InlineData(1, 8, 1)]
    [InlineData(0, 8, 1)]
    [InlineData(-32768, 8, 1)]
    [InlineData(32768, 0, 1)]
    [InlineData(32768, 1000, 1)]
    [InlineData(32768, 8, 0)]
    [InlineData(32768, 8, 1000)]
    [InlineData(1048576, 16, 1)] // 2 GiB of memory
    [InlineData(1048576, 8, 16)] // 2^27 block mixes
    public void Hostile_scrypt_parameters_are_SC2005(int n, int r, int p)
    {
        JsonNode body = Body(SmallKey());
        body["kdf"]!["params"]!["N"] = n;
        body["kdf"]!["params"]!["r"] = r;
        body["kdf"]!["params"]!["p"] = p;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        AssertCode(SigningErrors.EncryptedKeyParametersRejected, () => KeyFileSigner.FromPem(Rewrap(body), "pw"u8.ToArray()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData("kdf.name", "\"argon2id\"")]
    [InlineData("cipher.name", "\"aes-gcm\"")]
    [InlineData("cipher.nonce", "\"AAAAAAAAAAAAAAAA\"")] // 12 bytes
    [InlineData("kdf.salt", "\"\"")]
    [InlineData("kdf.params.N", "1e300")]
    [InlineData("kdf.params.N", "32768.5")]
    public void Unknown_kdf_cipher_or_bad_sizes_are_SC2005(string path, string json)
    {
        JsonNode body = Body(SmallKey());
        Set(body, path, JsonNode.Parse(json));
        AssertCode(SigningErrors.EncryptedKeyParametersRejected, () => KeyFileSigner.FromPem(Rewrap(body), "pw"u8.ToArray()));
    }

    [Theory]
    [InlineData("ciphertext", "\"AAAA\"")] // shorter than the tag
    [InlineData("ciphertext", "\"not base64!\"")]
    [InlineData("kdf.salt", "42")]
    [InlineData("kdf", "[]")]
    [InlineData("cipher.nonce", "null")]
    public void Malformed_fields_are_SC2001(string path, string json)
    {
        JsonNode body = Body(SmallKey());
        Set(body, path, JsonNode.Parse(json));
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(Rewrap(body), "pw"u8.ToArray()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{}")]
    [InlineData("{\"kdf\":{\"name\":\"scrypt\"")]
    public void Garbage_bodies_are_SC2001(string body)
    {
        string pem = Pem(CosignKeyFile.PemLabel, Encoding.UTF8.GetBytes(body));
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(pem, "pw"u8.ToArray()));
    }

    [Fact]
    public void Duplicate_json_properties_are_SC2001()
    {
        JsonNode body = Body(SmallKey());
        string json = body.ToJsonString();
        string duplicated = "{\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"," + json[1..];
        string pem = Pem(CosignKeyFile.PemLabel, Encoding.UTF8.GetBytes(duplicated));
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(pem, "pw"u8.ToArray()));
    }

    [Fact]
    public void Decrypted_garbage_is_SC2001()
    {
        // The secretbox authenticates but the plaintext is not a PKCS#8 key.
        string pem = CosignKeyFile.Encrypt("definitely not DER"u8, "pw"u8, 1024, 8, 1);
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(pem, "pw"u8.ToArray()));
    }

    [Fact]
    public void Truncated_pem_is_SC2001()
    {
        string pem = SmallKey();
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(pem[..(pem.Length / 2)], "pw"u8.ToArray()));
    }

    private static string SmallKey()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return CosignKeyFile.Encrypt(key.ExportPkcs8PrivateKey(), "pw"u8, 1024, 8, 1);
    }

    private static JsonNode Body(string pem)
    {
        PemFields fields = PemEncoding.Find(pem);
        return JsonNode.Parse(Convert.FromBase64String(pem[fields.Base64Data]))!;
    }

    private static string Rewrap(JsonNode body) => Pem(CosignKeyFile.PemLabel, Encoding.UTF8.GetBytes(body.ToJsonString()));

    private static void Set(JsonNode body, string path, JsonNode? value)
    {
        string[] parts = path.Split('.');
        JsonNode node = body;
        foreach (string part in parts[..^1])
        {
            node = node[part]!;
        }

        node[parts[^1]] = value;
    }
}
