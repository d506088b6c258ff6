using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Instance.Http;

/// <summary>
/// Public keys submitted by signers (Fulcio public keys, Rekor verifiers), limited to what the instance certifies
/// and logs: ECDSA P-256/P-384/P-521 (ASN.1 DER signatures, the hash matching the curve as Fulcio and Rekor use
/// it) and RSA 2048-4096 (PKCS#1 v1.5, SHA-256).
/// </summary>
internal static class ServiceKeys
{
    /// <summary>Parses a DER SubjectPublicKeyInfo; SC8031 when unsupported, SC8010 when not DER.</summary>
    public static PublicKey FromSpki(ReadOnlySpan<byte> spki)
    {
        PublicKey key;
        try
        {
            key = PublicKey.CreateFromSubjectPublicKeyInfo(spki, out int read);
            if (read != spki.Length)
            {
                throw InstanceErrors.RequestMalformed.ToException("trailing data after the public key");
            }
        }
        catch (CryptographicException ex)
        {
            throw InstanceErrors.RequestMalformed.ToException("the public key is not a DER SubjectPublicKeyInfo", ex);
        }

        CheckSupported(key);
        return key;
    }

    /// <summary>Parses a PEM <c>PUBLIC KEY</c>.</summary>
    public static PublicKey FromPem(string pem)
    {
        if (!PemEncoding.TryFind(pem, out PemFields fields) || pem[fields.Label] is not "PUBLIC KEY")
        {
            throw InstanceErrors.RequestMalformed.ToException("the public key is not a PEM PUBLIC KEY");
        }

        byte[] der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem[fields.Base64Data], der, out int written) || written != der.Length)
        {
            throw InstanceErrors.RequestMalformed.ToException("the PEM public key is not base64");
        }

        return FromSpki(der);
    }

    /// <summary>Whether <paramref name="signature"/> (ECDSA DER or RSA PKCS#1 v1.5) verifies over <paramref name="data"/>.</summary>
    public static bool VerifyData(PublicKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using ECDsa? ecdsa = key.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ecdsa.VerifyData(data, signature, HashFor(ecdsa), DSASignatureFormat.Rfc3279DerSequence);
        }

        using RSA rsa = key.GetRSAPublicKey() ?? throw InstanceErrors.PublicKeyUnsupported.ToException(key.Oid.Value);
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Whether <paramref name="signature"/> verifies over the SHA-256 <paramref name="digest"/> (a hashedrekord).</summary>
    public static bool VerifyDigest(PublicKey key, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        using ECDsa? ecdsa = key.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }

        using RSA rsa = key.GetRSAPublicKey() ?? throw InstanceErrors.PublicKeyUnsupported.ToException(key.Oid.Value);
        return rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static void CheckSupported(PublicKey key)
    {
        try
        {
            using ECDsa? ecdsa = key.GetECDsaPublicKey();
            if (ecdsa is not null)
            {
                if (ecdsa.KeySize is not (256 or 384 or 521))
                {
                    throw InstanceErrors.PublicKeyUnsupported.ToException($"ECDSA with a {ecdsa.KeySize}-bit curve");
                }

                return;
            }

            using RSA? rsa = key.GetRSAPublicKey();
            if (rsa is not null && rsa.KeySize is >= Limits.MinRsaBits and <= Limits.MaxRsaBits)
            {
                return;
            }
        }
        catch (NotSupportedException ex)
        {
            // An EC key on a named curve OpenSSL does not know throws PlatformNotSupportedException (found by fuzzing
            // instance-http: curve OIDs 1.2.2376.10045.3.1.7 and 1.2.840.10045.11.1.7).
            throw InstanceErrors.PublicKeyUnsupported.ToException("the public key's curve is not supported", ex);
        }
        catch (CryptographicException ex)
        {
            throw InstanceErrors.PublicKeyUnsupported.ToException("the public key cannot be imported", ex);
        }

        throw InstanceErrors.PublicKeyUnsupported.ToException($"key algorithm {key.Oid.Value}");
    }

    private static HashAlgorithmName HashFor(ECDsa key) => key.KeySize switch
    {
        256 => HashAlgorithmName.SHA256,
        384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
