using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using SupplyChain.Core.Keys;

namespace SupplyChain.Signing.Keys;

/// <summary>
/// An <see cref="IArtifactSigner"/> over a private key the user supplies as a PEM file: PKCS#8
/// (<c>PRIVATE KEY</c>, RFC 5208/5958), encrypted PKCS#8 (<c>ENCRYPTED PRIVATE KEY</c>, RFC 5958 section 3),
/// cosign's encrypted format (<c>ENCRYPTED SIGSTORE PRIVATE KEY</c>, <see cref="CosignKeyFile"/>), and as
/// conveniences SEC1 (<c>EC PRIVATE KEY</c>, RFC 5915) and PKCS#1 (<c>RSA PRIVATE KEY</c>, RFC 8017 appendix A.1.2).
/// Supported keys: ECDSA P-256 (SHA-256) and P-384 (SHA-384) with DER signatures, Ed25519 (RFC 8032, pure),
/// RSA 2048-4096 bits with PKCS#1 v1.5 and SHA-256. Load once and reuse; do not sign from several threads at once
/// (the ECDSA and RSA keys are single BCL key objects).
/// </summary>
public sealed class KeyFileSigner : IArtifactSigner
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string Ed25519Oid = "1.3.101.112";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;
    private readonly byte[] _spki;

    private KeyFileSigner(KeyAlgorithm algorithm, int keySizeBits, HashAlgorithmName hash, byte[] spki, ECDsa? ecdsa, RSA? rsa, Ed25519PrivateKeyParameters? ed25519)
    {
        Algorithm = algorithm;
        KeySizeBits = keySizeBits;
        HashAlgorithm = hash;
        _spki = spki;
        _ecdsa = ecdsa;
        _rsa = rsa;
        _ed25519 = ed25519;
    }

    /// <inheritdoc />
    public KeyAlgorithm Algorithm { get; }

    /// <summary>Key size in bits: the curve size for ECDSA, the modulus size for RSA, 256 for Ed25519.</summary>
    public int KeySizeBits { get; }

    /// <summary>The hash used for data signatures (SHA-256 or SHA-384; unused by Ed25519).</summary>
    public HashAlgorithmName HashAlgorithm { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> PublicKeySpki => _spki;

    /// <summary>The public key as PEM (<c>PUBLIC KEY</c>, RFC 7468 section 13).</summary>
    public string PublicKeyPem => new string(PemEncoding.Write("PUBLIC KEY", _spki)) + "\n";

    /// <summary>Generates a new ECDSA P-256 key, the type <c>cosign generate-key-pair</c> creates.</summary>
    /// <returns>The signer.</returns>
    public static KeyFileSigner GenerateEcdsaP256()
    {
        ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new KeyFileSigner(KeyAlgorithm.Ecdsa, 256, HashAlgorithmName.SHA256, ecdsa.ExportSubjectPublicKeyInfo(), ecdsa, null, null);
    }

    /// <summary>Loads an unencrypted PEM private key.</summary>
    /// <param name="pem">The PEM text (the first PEM block is used).</param>
    /// <returns>The signer.</returns>
    /// <exception cref="Core.Errors.MalformedInputException">SC2001, SC2002, SC2003 (the key is encrypted), SC2006.</exception>
    public static KeyFileSigner FromPem(string pem) => FromPem(pem, password: null);

    /// <summary>Loads a PEM private key, decrypting it with <paramref name="password"/> when it is encrypted.</summary>
    /// <param name="pem">The PEM text (the first PEM block is used).</param>
    /// <param name="password">The password bytes (UTF-8 of the password, as cosign); ignored for unencrypted keys; an empty array is a valid (empty) password.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="Core.Errors.MalformedInputException">SC2001 to SC2006.</exception>
    public static KeyFileSigner FromPem(string pem, byte[]? password)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Length > Limits.MaxKeyFileBytes)
        {
            throw SigningErrors.KeyFileTooLarge.ToException();
        }

        if (!PemEncoding.TryFind(pem, out PemFields fields))
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("no PEM block");
        }

        ReadOnlySpan<char> label = pem.AsSpan()[fields.Label];
        byte[] der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out int written) || written != der.Length)
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("the PEM body is not base64");
        }

        try
        {
            if (CosignKeyFile.IsCosignLabel(label))
            {
                byte[] pkcs8 = CosignKeyFile.DecryptBody(der, RequirePassword(password));
                try
                {
                    return FromPkcs8(pkcs8);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(pkcs8);
                }
            }

            return label switch
            {
                "PRIVATE KEY" => FromPkcs8(der),
                "ENCRYPTED PRIVATE KEY" => FromEncryptedPkcs8(der, RequirePassword(password)),
                "EC PRIVATE KEY" => FromSec1(der),
                "RSA PRIVATE KEY" => FromPkcs1(der),
                _ => throw SigningErrors.PrivateKeyUnsupported.ToException($"PEM label '{label}'"),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Loads a DER PKCS#8 PrivateKeyInfo (RFC 5208 section 5; RFC 5958 OneAsymmetricKey).</summary>
    /// <param name="pkcs8">The DER bytes.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="Core.Errors.MalformedInputException">SC2001 or SC2002.</exception>
    public static KeyFileSigner FromPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        (string algorithmOid, string? curveOid, ReadOnlyMemory<byte> privateKey) = ReadPrivateKeyInfo(pkcs8);
        switch (algorithmOid)
        {
            case EcPublicKeyOid:
                return FromEcPkcs8(pkcs8, curveOid);
            case RsaEncryptionOid:
            {
                RSA rsa = RSA.Create();
                try
                {
                    rsa.ImportPkcs8PrivateKey(pkcs8, out int read);
                    return read == pkcs8.Length ? FromRsa(rsa) : throw SigningErrors.PrivateKeyMalformed.ToException("trailing data after the key");
                }
                catch (CryptographicException ex)
                {
                    rsa.Dispose();
                    throw SigningErrors.PrivateKeyMalformed.ToException("the RSA key cannot be imported", ex);
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }
            }

            case Ed25519Oid:
                return FromEd25519(privateKey.Span);
            default:
                throw SigningErrors.PrivateKeyUnsupported.ToException($"private key algorithm {algorithmOid}");
        }
    }

    /// <inheritdoc />
    public byte[] SignData(ReadOnlySpan<byte> data)
    {
        if (_ed25519 is not null)
        {
            // RFC 8032 section 5.1.6: pure Ed25519 signs the message itself.
            var signer = new Ed25519Signer();
            signer.Init(true, _ed25519);
            byte[] message = data.ToArray();
            signer.BlockUpdate(message, 0, message.Length);
            return signer.GenerateSignature();
        }

        if (_ecdsa is not null)
        {
            return _ecdsa.SignData(data, HashAlgorithm, DSASignatureFormat.Rfc3279DerSequence);
        }

        return _rsa!.SignData(data.ToArray(), HashAlgorithm, RSASignaturePadding.Pkcs1);
    }

    /// <inheritdoc />
    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm)
    {
        if (_ed25519 is not null)
        {
            throw new NotSupportedException("Ed25519 signs the message, not a digest (RFC 8032 section 5.1.6).");
        }

        int expectedLength = algorithm.Name switch
        {
            "SHA256" => SHA256.HashSizeInBytes,
            "SHA384" => SHA384.HashSizeInBytes,
            "SHA512" => SHA512.HashSizeInBytes,
            _ => throw new ArgumentException($"Unsupported digest algorithm {algorithm.Name}.", nameof(algorithm)),
        };
        if (digest.Length != expectedLength)
        {
            throw new ArgumentException($"A {algorithm.Name} digest is {expectedLength} bytes, not {digest.Length}.", nameof(digest));
        }

        if (_ecdsa is not null)
        {
            return _ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        }

        return _rsa!.SignHash(digest.ToArray(), algorithm, RSASignaturePadding.Pkcs1);
    }

    /// <summary>
    /// Exports the private key in cosign's encrypted format (<see cref="CosignKeyFile.Encrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>).
    /// </summary>
    /// <param name="password">The password bytes (may be empty, as cosign allows).</param>
    /// <returns>The PEM text.</returns>
    public string ExportCosignEncryptedPem(ReadOnlySpan<byte> password)
    {
        byte[] pkcs8 = ExportPkcs8();
        try
        {
            return CosignKeyFile.Encrypt(pkcs8, password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }

    internal byte[] ExportPkcs8()
    {
        if (_ecdsa is not null)
        {
            return _ecdsa.ExportPkcs8PrivateKey();
        }

        if (_rsa is not null)
        {
            return _rsa.ExportPkcs8PrivateKey();
        }

        // RFC 8410 section 7: PrivateKeyInfo { version 0, { id-Ed25519 }, OCTET STRING { CurvePrivateKey OCTET STRING } }.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Ed25519Oid);
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(_ed25519!.GetEncoded());
            writer.WriteOctetString(inner.Encode());
        }

        return writer.Encode();
    }

    private static byte[] RequirePassword(byte[]? password) =>
        password ?? throw SigningErrors.PrivateKeyPasswordRequired.ToException();

    // RFC 5208 section 5 / RFC 5958 section 2:
    // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING,
    //                               attributes [0] IMPLICIT Attributes OPTIONAL, ... publicKey [1] IMPLICIT PublicKey OPTIONAL }
    private static (string AlgorithmOid, string? CurveOid, ReadOnlyMemory<byte> PrivateKey) ReadPrivateKeyInfo(ReadOnlySpan<byte> pkcs8)
    {
        try
        {
            var reader = new AsnReader(pkcs8.ToArray(), AsnEncodingRules.DER);
            AsnReader seq = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!seq.TryReadInt32(out int version) || version is not (0 or 1))
            {
                throw SigningErrors.PrivateKeyMalformed.ToException("PKCS#8 version is neither v1 nor v2");
            }

            AsnReader algId = seq.ReadSequence();
            string oid = algId.ReadObjectIdentifier();
            string? curve = null;
            if (algId.HasData && algId.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                curve = algId.ReadObjectIdentifier();
            }

            ReadOnlyMemory<byte> privateKey = seq.ReadOctetString();
            return (oid, curve, privateKey);
        }
        catch (AsnContentException ex)
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("not a DER PKCS#8 PrivateKeyInfo", ex);
        }
    }

    private static KeyFileSigner FromEcPkcs8(ReadOnlySpan<byte> pkcs8, string? curveOid)
    {
        // RFC 5480 section 2.1.1: the curve is a namedCurve; only P-256 and P-384 are signing curves here.
        (int bits, HashAlgorithmName hash) = curveOid switch
        {
            P256Oid => (256, HashAlgorithmName.SHA256),
            P384Oid => (384, HashAlgorithmName.SHA384),
            null => throw SigningErrors.PrivateKeyUnsupported.ToException("ECDSA key without a named curve"),
            _ => throw SigningErrors.PrivateKeyUnsupported.ToException($"ECDSA curve {curveOid}"),
        };
        ECDsa ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out int read);
            if (read != pkcs8.Length)
            {
                throw SigningErrors.PrivateKeyMalformed.ToException("trailing data after the key");
            }

            return new KeyFileSigner(KeyAlgorithm.Ecdsa, bits, hash, ecdsa.ExportSubjectPublicKeyInfo(), ecdsa, null, null);
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw SigningErrors.PrivateKeyMalformed.ToException("the ECDSA key cannot be imported", ex);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    private static KeyFileSigner FromRsa(RSA rsa)
    {
        if (rsa.KeySize < 2048 || rsa.KeySize > 4096)
        {
            throw SigningErrors.PrivateKeyUnsupported.ToException($"RSA keys of {rsa.KeySize} bits (2048 to 4096 are supported)");
        }

        return new KeyFileSigner(KeyAlgorithm.Rsa, rsa.KeySize, HashAlgorithmName.SHA256, rsa.ExportSubjectPublicKeyInfo(), null, rsa, null);
    }

    private static KeyFileSigner FromEd25519(ReadOnlySpan<byte> privateKeyOctets)
    {
        // RFC 8410 section 7: the privateKey OCTET STRING holds CurvePrivateKey ::= OCTET STRING (32 bytes).
        byte[] seed;
        try
        {
            var reader = new AsnReader(privateKeyOctets.ToArray(), AsnEncodingRules.DER);
            seed = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException ex)
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("the Ed25519 CurvePrivateKey is not an OCTET STRING", ex);
        }

        if (seed.Length != 32)
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("an Ed25519 private key is 32 bytes");
        }

        var key = new Ed25519PrivateKeyParameters(seed, 0);
        CryptographicOperations.ZeroMemory(seed);

        // RFC 8410 section 4: SubjectPublicKeyInfo { { id-Ed25519 }, BIT STRING (32-byte public key) }.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Ed25519Oid);
            }

            writer.WriteBitString(key.GeneratePublicKey().GetEncoded());
        }

        return new KeyFileSigner(KeyAlgorithm.Ed25519, 256, default, writer.Encode(), null, null, key);
    }

    private static KeyFileSigner FromEncryptedPkcs8(byte[] der, byte[] password)
    {
        // RFC 5958 section 3: EncryptedPrivateKeyInfo (PBES2 and friends, RFC 8018). The BCL decrypts it, after
        // the iteration count is checked: the BCL would run any count the file asks for.
        CheckPbeIterations(der);
        byte[] plain;
        try
        {
            Pkcs8PrivateKeyInfo info = Pkcs8PrivateKeyInfo.DecryptAndDecode(password, der, out int read);
            if (read != der.Length)
            {
                throw SigningErrors.PrivateKeyMalformed.ToException("trailing data after the encrypted key");
            }

            plain = info.Encode();
        }
        catch (CryptographicException ex)
        {
            // A wrong password surfaces as a padding or decoding failure of the decrypted bytes.
            throw SigningErrors.PrivateKeyPasswordIncorrect.ToException("PKCS#8 decryption failed", ex);
        }

        try
        {
            return FromPkcs8(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Refuses an EncryptedPrivateKeyInfo whose password-based KDF asks for more than
    /// <see cref="Limits.MaxPbeIterations"/> iterations. RFC 5958 section 3:
    /// <c>EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }</c>;
    /// RFC 8018 appendix A.4 PBES2-params <c>{ keyDerivationFunc, encryptionScheme }</c> with A.2
    /// <c>PBKDF2-params ::= SEQUENCE { salt CHOICE, iterationCount INTEGER, ... }</c>; A.3 PBEParameter (PBES1) and
    /// RFC 7292 appendix C pkcs-12PbeParams are both <c>SEQUENCE { salt OCTET STRING, iterations INTEGER }</c>.
    /// </summary>
    private static void CheckPbeIterations(byte[] der)
    {
        const string Pbes2Oid = "1.2.840.113549.1.5.13";
        const string Pbkdf2Oid = "1.2.840.113549.1.5.12";
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.BER);
            AsnReader epki = reader.ReadSequence();
            AsnReader algorithm = epki.ReadSequence();
            string oid = algorithm.ReadObjectIdentifier();
            AsnReader parameters = algorithm.ReadSequence();
            if (oid == Pbes2Oid)
            {
                AsnReader kdf = parameters.ReadSequence();
                if (kdf.ReadObjectIdentifier() != Pbkdf2Oid)
                {
                    throw SigningErrors.EncryptedKeyParametersRejected.ToException("a PBES2 key derivation other than PBKDF2");
                }

                parameters = kdf.ReadSequence();
            }

            parameters.ReadEncodedValue(); // salt
            if (!parameters.TryReadInt32(out int iterations) || iterations < 1 || iterations > Limits.MaxPbeIterations)
            {
                throw SigningErrors.EncryptedKeyParametersRejected.ToException($"a password-based encryption iteration count beyond 1 to {Limits.MaxPbeIterations}");
            }
        }
        catch (AsnContentException ex)
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("not a DER EncryptedPrivateKeyInfo", ex);
        }
    }

    private static KeyFileSigner FromSec1(byte[] der)
    {
        // RFC 5915 section 3: ECPrivateKey with the curve in its [0] parameters; re-encoded as PKCS#8.
        using ECDsa ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportECPrivateKey(der, out int read);
            if (read != der.Length)
            {
                throw SigningErrors.PrivateKeyMalformed.ToException("trailing data after the key");
            }
        }
        catch (CryptographicException ex)
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("not a SEC1 ECPrivateKey", ex);
        }

        byte[] pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        try
        {
            return FromPkcs8(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static KeyFileSigner FromPkcs1(byte[] der)
    {
        // RFC 8017 appendix A.1.2: RSAPrivateKey.
        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPrivateKey(der, out int read);
            return read == der.Length ? FromRsa(rsa) : throw SigningErrors.PrivateKeyMalformed.ToException("trailing data after the key");
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw SigningErrors.PrivateKeyMalformed.ToException("not a PKCS#1 RSAPrivateKey", ex);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}
