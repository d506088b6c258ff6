using System.Formats.Asn1;
using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Core.Tests.PublicKeys;

public class PublicKeyVerifierTests
{
    private static readonly byte[] Data = "signed bytes"u8.ToArray();

    // SubjectPublicKeyInfo for id-ecPublicKey with the given curve OID and point bytes (RFC 5480 section 2).
    private static byte[] EcSpki(string curveOid, byte[] point)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.10045.2.1");
                writer.WriteObjectIdentifier(curveOid);
            }

            writer.WriteBitString(point);
        }

        return writer.Encode();
    }

    [Theory]
    [InlineData("nistP256", 256, "SHA256")]
    [InlineData("nistP384", 384, "SHA384")]
    [InlineData("nistP521", 521, "SHA512")]
    public void Ecdsa_curve_comes_from_the_named_curve(string curve, int bits, string hash)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using PublicKeyVerifier verifier = PublicKeyVerifier.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());

        Assert.Equal(KeyAlgorithm.Ecdsa, verifier.Algorithm);
        Assert.Equal(bits, verifier.KeySizeBits);
        Assert.Equal(new HashAlgorithmName(hash), verifier.HashAlgorithm);
        Assert.True(verifier.VerifyData(Data, key.SignData(Data, verifier.HashAlgorithm, DSASignatureFormat.Rfc3279DerSequence)));
    }

    [Fact]
    public void Unsupported_named_curve_fails_SC1506()
    {
        // secp256k1 (1.3.132.0.10): a named curve, but not one Sigstore uses.
        byte[] point = new byte[65];
        point[0] = 0x04;
        AssertCode(CoreErrors.UnsupportedKeyAlgorithm, () => PublicKeyVerifier.FromSubjectPublicKeyInfo(EcSpki("1.3.132.0.10", point)));
    }

    [Fact]
    public void Point_not_on_the_curve_fails_SC1507()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters parameters = key.ExportParameters(false);
        parameters.Q.Y![^1] ^= 0x01;
        byte[] point = [0x04, .. parameters.Q.X!, .. parameters.Q.Y];
        AssertCode(CoreErrors.PublicKeyMalformed, () => PublicKeyVerifier.FromSubjectPublicKeyInfo(EcSpki("1.2.840.10045.3.1.7", point)));
    }

    [Fact]
    public void Compressed_or_wrong_length_point_fails_SC1507()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters parameters = key.ExportParameters(false);
        byte[] compressed = [(byte)(0x02 | (parameters.Q.Y![^1] & 1)), .. parameters.Q.X!];
        AssertCode(CoreErrors.PublicKeyMalformed, () => PublicKeyVerifier.FromSubjectPublicKeyInfo(EcSpki("1.2.840.10045.3.1.7", compressed)));

        // A P-256 point under the P-384 OID.
        byte[] point = [0x04, .. parameters.Q.X!, .. parameters.Q.Y];
        AssertCode(CoreErrors.PublicKeyMalformed, () => PublicKeyVerifier.FromSubjectPublicKeyInfo(EcSpki("1.3.132.0.34", point)));
    }

    [Fact]
    public void Verifier_built_on_one_thread_verifies_on_others()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] signature = key.SignData(Data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        using PublicKeyVerifier verifier = PublicKeyVerifier.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => Assert.True(verifier.VerifyData(Data, signature)));
        Assert.True(verifier.VerifyData(Data, signature));
    }

    [Fact]
    public async Task Rsa_key_imports_once_and_verifies()
    {
        using var key = RSA.Create(2048);
        byte[] signature = key.SignData(Data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using PublicKeyVerifier verifier = PublicKeyVerifier.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());

        Assert.Equal(2048, verifier.KeySizeBits);
        Assert.True(verifier.VerifyData(Data, signature));
        Assert.True(await Task.Run(() => verifier.VerifyData(Data, signature)));
    }
}
