using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using SupplyChain.Core.Keys;
using SupplyChain.Signing;
using SupplyChain.Signing.Keys;
using static SupplyChain.Signing.Tests.Keys.KeyTestSupport;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Signing.Tests.Keys;

public class KeyFileSignerTests
{
    private static readonly byte[] Password = "correct horse"u8.ToArray();

    [Theory]
    [InlineData("nistP256", 256)]
    [InlineData("nistP384", 384)]
    public void Ecdsa_pkcs8_signs_and_verifies(string curve, int bits)
    {
        using ECDsa key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using KeyFileSigner signer = KeyFileSigner.FromPem(Pem("PRIVATE KEY", key.ExportPkcs8PrivateKey()));
        Assert.Equal(KeyAlgorithm.Ecdsa, signer.Algorithm);
        Assert.Equal(bits, signer.KeySizeBits);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), signer.PublicKeySpki.ToArray());
        AssertSignsAndVerifies(signer);
    }

    [Fact]
    public void Ecdsa_sec1_is_accepted()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyFileSigner signer = KeyFileSigner.FromPem(key.ExportECPrivateKeyPem());
        AssertSignsAndVerifies(signer);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    public void Rsa_pkcs8_and_pkcs1_sign_and_verify(int bits)
    {
        using RSA key = RSA.Create(bits);
        using KeyFileSigner pkcs8 = KeyFileSigner.FromPem(key.ExportPkcs8PrivateKeyPem());
        using KeyFileSigner pkcs1 = KeyFileSigner.FromPem(key.ExportRSAPrivateKeyPem());
        Assert.Equal(KeyAlgorithm.Rsa, pkcs8.Algorithm);
        Assert.Equal(bits, pkcs8.KeySizeBits);
        AssertSignsAndVerifies(pkcs8);
        AssertSignsAndVerifies(pkcs1);
    }

    [Fact]
    public void Ed25519_pkcs8_signs_and_verifies()
    {
        using KeyFileSigner signer = KeyFileSigner.FromPem(Pem("PRIVATE KEY", Ed25519Pkcs8(out _)));
        Assert.Equal(KeyAlgorithm.Ed25519, signer.Algorithm);
        AssertSignsAndVerifies(signer);
    }

    [Fact]
    public void Ed25519_public_key_matches_bouncycastle()
    {
        byte[] pkcs8 = Ed25519Pkcs8(out byte[] publicKey);
        using KeyFileSigner signer = KeyFileSigner.FromPkcs8(pkcs8);
        Assert.EndsWith(Convert.ToHexString(publicKey), Convert.ToHexString(signer.PublicKeySpki.Span), StringComparison.Ordinal);
        Assert.Equal(pkcs8, signer.ExportPkcs8());
    }

    [Fact]
    public void Encrypted_pkcs8_decrypts_with_the_password()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        string pem = key.ExportEncryptedPkcs8PrivateKeyPem(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        using KeyFileSigner signer = KeyFileSigner.FromPem(pem, Password);
        AssertSignsAndVerifies(signer);
    }

    [Fact]
    public void Encrypted_pkcs8_rsa_decrypts_with_the_password()
    {
        using RSA key = RSA.Create(2048);
        string pem = key.ExportEncryptedPkcs8PrivateKeyPem(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
        using KeyFileSigner signer = KeyFileSigner.FromPem(pem, Password);
        AssertSignsAndVerifies(signer);
    }

    [Fact]
    public void Encrypted_pkcs8_ed25519_decrypts_with_the_password()
    {
        byte[] plain = Ed25519Pkcs8(out _);
        var info = System.Security.Cryptography.Pkcs.Pkcs8PrivateKeyInfo.Decode(plain, out _);
        byte[] encrypted = info.Encrypt(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        using KeyFileSigner signer = KeyFileSigner.FromPem(Pem("ENCRYPTED PRIVATE KEY", encrypted), Password);
        Assert.Equal(KeyAlgorithm.Ed25519, signer.Algorithm);
        AssertSignsAndVerifies(signer);
    }

    [Fact]
    public void Encrypted_pkcs8_wrong_password_is_SC2004()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = key.ExportEncryptedPkcs8PrivateKeyPem(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        AssertCode(SigningErrors.PrivateKeyPasswordIncorrect, () => KeyFileSigner.FromPem(pem, "wrong"u8.ToArray()));
    }

    [Fact]
    public void Encrypted_pkcs8_with_a_hostile_iteration_count_is_SC2005_without_deriving()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] der = key.ExportEncryptedPkcs8PrivateKey(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        // Rewrite the PBKDF2 iterationCount INTEGER 1000 (02 02 03 E8) to 0x7FFFFFFF (02 04 7F FF FF FF): the
        // lengths of the enclosing SEQUENCEs grow by 2, so re-encode through the ASN.1 structure instead of patching.
        byte[] hostile = WithIterations(der, int.MaxValue);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        AssertCode(SigningErrors.EncryptedKeyParametersRejected, () => KeyFileSigner.FromPem(Pem("ENCRYPTED PRIVATE KEY", hostile), Password));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));

        // The same structure with a sane count still decrypts (the rewrite itself is faithful).
        using KeyFileSigner signer = KeyFileSigner.FromPem(Pem("ENCRYPTED PRIVATE KEY", WithIterations(der, 1000)), Password);
        AssertSignsAndVerifies(signer);
    }

    [Fact]
    public void Encrypted_pkcs8_garbage_is_SC2001()
    {
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(Pem("ENCRYPTED PRIVATE KEY", [0x30, 0x03, 0x02, 0x01, 0x00]), Password));
    }

    private static byte[] WithIterations(byte[] encryptedPkcs8, int iterations)
    {
        // EncryptedPrivateKeyInfo { { PBES2, { { PBKDF2, { salt, iterationCount, [keyLength], prf } }, encryptionScheme } }, encryptedData }
        var epki = new AsnReader(encryptedPkcs8, AsnEncodingRules.DER).ReadSequence();
        var algorithm = epki.ReadSequence();
        string pbes2 = algorithm.ReadObjectIdentifier();
        var pbes2Params = algorithm.ReadSequence();
        var kdf = pbes2Params.ReadSequence();
        string pbkdf2 = kdf.ReadObjectIdentifier();
        var pbkdf2Params = kdf.ReadSequence();
        ReadOnlyMemory<byte> salt = pbkdf2Params.ReadEncodedValue();
        pbkdf2Params.ReadInteger();
        ReadOnlyMemory<byte> rest = pbkdf2Params.ReadEncodedValue(); // prf (no keyLength in .NET's encoding)
        ReadOnlyMemory<byte> scheme = pbes2Params.ReadEncodedValue();
        ReadOnlyMemory<byte> data = epki.ReadEncodedValue();

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(pbes2);
                using (w.PushSequence())
                {
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier(pbkdf2);
                        using (w.PushSequence())
                        {
                            w.WriteEncodedValue(salt.Span);
                            w.WriteInteger(iterations);
                            w.WriteEncodedValue(rest.Span);
                        }
                    }

                    w.WriteEncodedValue(scheme.Span);
                }
            }

            w.WriteEncodedValue(data.Span);
        }

        return w.Encode();
    }

    [Fact]
    public void Encrypted_key_without_password_is_SC2003()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = key.ExportEncryptedPkcs8PrivateKeyPem(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        AssertCode(SigningErrors.PrivateKeyPasswordRequired, () => KeyFileSigner.FromPem(pem));
        string cosign = CosignKeyFile.Encrypt(key.ExportPkcs8PrivateKey(), Password, 1024, 8, 1);
        AssertCode(SigningErrors.PrivateKeyPasswordRequired, () => KeyFileSigner.FromPem(cosign));
    }

    [Fact]
    public void Rsa_below_2048_is_SC2002()
    {
        using RSA key = RSA.Create(1024);
        AssertCode(SigningErrors.PrivateKeyUnsupported, () => KeyFileSigner.FromPem(key.ExportPkcs8PrivateKeyPem()));
        AssertCode(SigningErrors.PrivateKeyUnsupported, () => KeyFileSigner.FromPem(key.ExportRSAPrivateKeyPem()));
    }

    [Fact]
    public void Rsa_above_4096_is_SC2002()
    {
        using RSA key = RSA.Create(4104);
        AssertCode(SigningErrors.PrivateKeyUnsupported, () => KeyFileSigner.FromPem(key.ExportPkcs8PrivateKeyPem()));
    }

    [Theory]
    [InlineData("nistP521")]
    [InlineData("brainpoolP256r1")]
    public void Unsupported_curves_are_SC2002(string curve)
    {
        ECDsa key;
        try
        {
            key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        }
        catch (PlatformNotSupportedException)
        {
            return; // the platform's OpenSSL lacks the curve: nothing to test
        }

        using (key)
        {
            AssertCode(SigningErrors.PrivateKeyUnsupported, () => KeyFileSigner.FromPem(key.ExportPkcs8PrivateKeyPem()));
        }
    }

    [Fact]
    public void Unknown_algorithm_is_SC2002()
    {
        // X25519 (RFC 8410 id-X25519 1.3.101.110) is a key-agreement key, not a signing key.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.101.110");
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(new byte[32]);
            writer.WriteOctetString(inner.Encode());
        }

        AssertCode(SigningErrors.PrivateKeyUnsupported, () => KeyFileSigner.FromPem(Pem("PRIVATE KEY", writer.Encode())));
    }

    [Theory]
    [InlineData("PUBLIC KEY")]
    [InlineData("CERTIFICATE")]
    [InlineData("OPENSSH PRIVATE KEY")]
    [InlineData("DSA PRIVATE KEY")]
    public void Wrong_labels_are_SC2002(string label)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AssertCode(SigningErrors.PrivateKeyUnsupported, () => KeyFileSigner.FromPem(Pem(label, key.ExportPkcs8PrivateKey())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a pem at all")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n!!!notbase64!!!\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")]
    public void Garbage_is_SC2001(string pem)
    {
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(pem));
    }

    [Fact]
    public void Truncated_pkcs8_is_SC2001()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] der = key.ExportPkcs8PrivateKey();
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(Pem("PRIVATE KEY", der[..(der.Length - 5)])));
        byte[] trailing = [.. der, 0x00];
        AssertCode(SigningErrors.PrivateKeyMalformed, () => KeyFileSigner.FromPem(Pem("PRIVATE KEY", trailing)));
    }

    [Fact]
    public void Digest_of_the_wrong_length_is_rejected()
    {
        using KeyFileSigner signer = KeyFileSigner.GenerateEcdsaP256();
        Assert.Throws<ArgumentException>(() => signer.SignDigest(new byte[20], HashAlgorithmName.SHA256));
        Assert.Throws<ArgumentException>(() => signer.SignDigest(new byte[20], HashAlgorithmName.SHA1));
    }

    [Fact]
    public void Oversized_file_is_SC2006()
    {
        AssertCode(SigningErrors.KeyFileTooLarge, () => KeyFileSigner.FromPem(new string('A', 70_000)));
    }

    [Fact]
    public void Key_hint_is_base64_sha256_of_the_spki()
    {
        using KeyFileSigner signer = KeyFileSigner.GenerateEcdsaP256();
        string hint = KeyHint.For(signer.PublicKeySpki.Span);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(signer.PublicKeySpki.Span)), hint);
        Assert.Equal(44, hint.Length);
    }

    [Fact]
    public void Public_key_pem_round_trips_through_the_verifier()
    {
        using KeyFileSigner signer = KeyFileSigner.GenerateEcdsaP256();
        using PublicKeyVerifier verifier = PublicKeyVerifier.FromPem(signer.PublicKeyPem);
        Assert.True(verifier.VerifyData(Message, signer.SignData(Message)));
    }

    private static byte[] Ed25519Pkcs8(out byte[] publicKey)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        publicKey = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
        byte[] seed = ((Ed25519PrivateKeyParameters)pair.Private).GetEncoded();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.101.112");
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(seed);
            writer.WriteOctetString(inner.Encode());
        }

        return writer.Encode();
    }
}
