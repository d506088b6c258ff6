using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Keys;

/// <summary>
/// A public key imported once and reused for many signature checks (key import costs 0.1-1 ms; verification is
/// the hot path). The key is imported exactly once, eagerly, for the thread that builds the verifier; other threads
/// that verify with it get their own instance, imported on first use. Thread-safe.
/// </summary>
public sealed class PublicKeyVerifier : IDisposable
{
    private const string Ed25519Oid = "1.3.101.112";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    private readonly byte[] _spki;
    private readonly byte[]? _ed25519Key;
    private readonly RSASignaturePadding _rsaPadding;
    private readonly ECParameters _ecParameters;

    // The instance imported by the constructor, used by the thread that built the verifier; other threads import
    // their own into _others on first use.
    private readonly AsymmetricAlgorithm? _owned;
    private readonly int _ownerThreadId;
    private ThreadLocal<AsymmetricAlgorithm>? _others;

    private PublicKeyVerifier(byte[] spki, KeyAlgorithm algorithm, HashAlgorithmName hash, RSASignaturePadding rsaPadding, byte[]? ed25519Key, int keySizeBits, AsymmetricAlgorithm? owned, ECParameters ecParameters)
    {
        _spki = spki;
        Algorithm = algorithm;
        HashAlgorithm = hash;
        _rsaPadding = rsaPadding;
        _ed25519Key = ed25519Key;
        KeySizeBits = keySizeBits;
        _owned = owned;
        _ecParameters = ecParameters;
        _ownerThreadId = Environment.CurrentManagedThreadId;
    }

    /// <summary>The key family.</summary>
    public KeyAlgorithm Algorithm { get; }

    /// <summary>The hash used with this key for data signatures (unused by Ed25519, which hashes internally).</summary>
    public HashAlgorithmName HashAlgorithm { get; }

    /// <summary>Key size in bits (curve size for ECDSA, modulus size for RSA, 256 for Ed25519).</summary>
    public int KeySizeBits { get; }

    /// <summary>The DER SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7).</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    /// <summary>
    /// Imports a DER SubjectPublicKeyInfo. ECDSA keys use the hash matching their curve
    /// (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512) unless <paramref name="hash"/> overrides it;
    /// RSA keys use SHA-256 with PKCS#1 v1.5 unless overridden.
    /// </summary>
    /// <param name="spki">The DER SubjectPublicKeyInfo.</param>
    /// <param name="hash">The hash to use, or <see langword="null"/> for the key's default.</param>
    /// <param name="rsaPadding">RSA padding, or <see langword="null"/> for PKCS#1 v1.5.</param>
    /// <exception cref="MalformedInputException">SC1507 when the key cannot be parsed; SC1506 when its algorithm is unsupported.</exception>
    public static PublicKeyVerifier FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki, HashAlgorithmName? hash = null, RSASignaturePadding? rsaPadding = null)
    {
        byte[] der = spki.ToArray();
        string oid;
        string? curveOid = null;
        ReadOnlyMemory<byte> keyBits;
        try
        {
            // RFC 5280 section 4.1: SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            AsnReader seq = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            AsnReader algId = seq.ReadSequence();
            oid = algId.ReadObjectIdentifier();

            // RFC 5480 section 2.1.1: for id-ecPublicKey the parameters are ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, ... }
            // and "implicitCurve and specifiedCurve MUST NOT be used in PKIX".
            if (oid == EcPublicKeyOid && algId.HasData && algId.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                curveOid = algId.ReadObjectIdentifier();
            }

            if (!seq.TryReadPrimitiveBitString(out int unused, out keyBits))
            {
                throw CoreErrors.PublicKeyMalformed.ToException("the key BIT STRING is constructed");
            }

            seq.ThrowIfNotEmpty();
            if (unused != 0)
            {
                throw CoreErrors.PublicKeyMalformed.ToException("the key BIT STRING has unused bits");
            }
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.PublicKeyMalformed.ToException("not a DER SubjectPublicKeyInfo", ex);
        }

        switch (oid)
        {
            case Ed25519Oid:
                if (keyBits.Length != 32)
                {
                    throw CoreErrors.PublicKeyMalformed.ToException("an Ed25519 key is 32 bytes");
                }

                return new PublicKeyVerifier(der, KeyAlgorithm.Ed25519, default, RSASignaturePadding.Pkcs1, keyBits.ToArray(), 256, null, default);
            case EcPublicKeyOid:
                return FromEcPoint(der, curveOid, keyBits.Span, hash);
            case RsaEncryptionOid:
            {
                RSA rsa = RSA.Create();
                try
                {
                    ImportOrThrow(rsa, der);
                    if (rsa.KeySize < 2048)
                    {
                        throw CoreErrors.UnsupportedKeyAlgorithm.ToException($"RSA keys under 2048 bits ({rsa.KeySize})");
                    }

                    return new PublicKeyVerifier(der, KeyAlgorithm.Rsa, hash ?? HashAlgorithmName.SHA256, rsaPadding ?? RSASignaturePadding.Pkcs1, null, rsa.KeySize, rsa, default);
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }
            }

            default:
                throw CoreErrors.UnsupportedKeyAlgorithm.ToException($"public key algorithm {oid}");
        }
    }

    // The curve comes from the namedCurve OID (RFC 5480 section 2.1.1.1); the point is imported once, which
    // validates it (on the curve, not the identity).
    private static PublicKeyVerifier FromEcPoint(byte[] der, string? curveOid, ReadOnlySpan<byte> point, HashAlgorithmName? hash)
    {
        (ECCurve curve, int bits, HashAlgorithmName defaultHash) = curveOid switch
        {
            "1.2.840.10045.3.1.7" => (ECCurve.NamedCurves.nistP256, 256, HashAlgorithmName.SHA256),
            "1.3.132.0.34" => (ECCurve.NamedCurves.nistP384, 384, HashAlgorithmName.SHA384),
            "1.3.132.0.35" => (ECCurve.NamedCurves.nistP521, 521, HashAlgorithmName.SHA512),
            null => throw CoreErrors.UnsupportedKeyAlgorithm.ToException("ECDSA key without a named curve"),
            _ => throw CoreErrors.UnsupportedKeyAlgorithm.ToException($"ECDSA curve {curveOid}"),
        };

        // RFC 5480 section 2.2: ECPoint ::= OCTET STRING, the SEC 1 encoding; "the uncompressed form MUST be supported".
        // Only the uncompressed form (0x04 || X || Y) is accepted, as the platform import accepts only it.
        int fieldBytes = (bits + 7) / 8;
        if (point.Length != 1 + (2 * fieldBytes) || point[0] != 0x04)
        {
            throw CoreErrors.PublicKeyMalformed.ToException("the ECDSA key is not an uncompressed point of its curve");
        }

        var parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = point.Slice(1, fieldBytes).ToArray(), Y = point.Slice(1 + fieldBytes, fieldBytes).ToArray() },
        };
        ECDsa ec;
        try
        {
            ec = ECDsa.Create(parameters);
        }
        catch (CryptographicException ex)
        {
            throw CoreErrors.PublicKeyMalformed.ToException("the key cannot be imported", ex);
        }

        return new PublicKeyVerifier(der, KeyAlgorithm.Ecdsa, hash ?? defaultHash, RSASignaturePadding.Pkcs1, null, bits, ec, parameters);
    }

    /// <summary>Imports a PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo), as <c>cosign public-key</c> writes it.</summary>
    /// <param name="pem">The PEM text.</param>
    /// <exception cref="MalformedInputException">SC1507 when no public key can be read.</exception>
    public static PublicKeyVerifier FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out PemFields fields))
        {
            throw CoreErrors.PublicKeyMalformed.ToException("no PEM block found");
        }

        string label = pem[fields.Label];
        if (label != "PUBLIC KEY")
        {
            throw CoreErrors.PublicKeyMalformed.ToException($"PEM label '{label}' is not 'PUBLIC KEY'");
        }

        byte[] der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out int written))
        {
            throw CoreErrors.PublicKeyMalformed.ToException("invalid base64 in the PEM block");
        }

        return FromSubjectPublicKeyInfo(der.AsSpan(0, written));
    }

    /// <summary>Imports the public key of a certificate, with the hash that matches its curve.</summary>
    /// <param name="certificate">The certificate.</param>
    public static PublicKeyVerifier FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Imports the public key of a parsed certificate (its SubjectPublicKeyInfo bytes as they are).</summary>
    /// <param name="certificate">The parsed certificate.</param>
    internal static PublicKeyVerifier FromCertificate(Certificates.CertificateDer certificate) =>
        FromSubjectPublicKeyInfo(certificate.SubjectPublicKeyInfo.Span);

    /// <summary>Verifies a signature over <paramref name="data"/>.</summary>
    /// <param name="data">The signed bytes.</param>
    /// <param name="signature">The signature: DER ECDSA-Sig-Value for ECDSA, raw for RSA and Ed25519.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    public bool VerifyData(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        switch (Algorithm)
        {
            case KeyAlgorithm.Ed25519:
                return VerifyEd25519(data, signature);
            case KeyAlgorithm.Ecdsa:
                return ((ECDsa)Instance()).VerifyData(data, signature, HashAlgorithm, DSASignatureFormat.Rfc3279DerSequence);
            default:
                return ((RSA)Instance()).VerifyData(data, signature, HashAlgorithm, _rsaPadding);
        }
    }

    /// <summary>Verifies a signature given only the digest of the signed data.</summary>
    /// <param name="digest">The digest of the signed bytes.</param>
    /// <param name="digestAlgorithm">The algorithm that produced <paramref name="digest"/>.</param>
    /// <param name="signature">The signature.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    /// <exception cref="MalformedInputException">SC1508 for Ed25519, which signs the message itself.</exception>
    public bool VerifyDigest(ReadOnlySpan<byte> digest, HashAlgorithmName digestAlgorithm, ReadOnlySpan<byte> signature)
    {
        switch (Algorithm)
        {
            case KeyAlgorithm.Ed25519:
                throw CoreErrors.DigestOnlyUnsupported.ToException("Ed25519 (pure EdDSA) signs the whole message; supply the artifact, not its digest");
            case KeyAlgorithm.Ecdsa:
                return IsSha2(digestAlgorithm, digest.Length)
                    && ((ECDsa)Instance()).VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
            default:
                return IsSha2(digestAlgorithm, digest.Length)
                    && ((RSA)Instance()).VerifyHash(digest, signature, digestAlgorithm, _rsaPadding);
        }
    }

    /// <summary>Only SHA-256, SHA-384 and SHA-512 digests of their proper length are accepted.</summary>
    private static bool IsSha2(HashAlgorithmName algorithm, int length) =>
        (algorithm == HashAlgorithmName.SHA256 && length == 32)
        || (algorithm == HashAlgorithmName.SHA384 && length == 48)
        || (algorithm == HashAlgorithmName.SHA512 && length == 64);

    /// <summary><see langword="true"/> when both keys are the same SubjectPublicKeyInfo.</summary>
    /// <param name="spki">A DER SubjectPublicKeyInfo.</param>
    public bool HasSameKey(ReadOnlySpan<byte> spki) => spki.SequenceEqual(_spki);

    /// <inheritdoc />
    public void Dispose()
    {
        _owned?.Dispose();
        ThreadLocal<AsymmetricAlgorithm>? others = Interlocked.Exchange(ref _others, null);
        if (others is null)
        {
            return;
        }

        foreach (AsymmetricAlgorithm instance in others.Values)
        {
            instance.Dispose();
        }

        others.Dispose();
    }

    private static void ImportOrThrow(AsymmetricAlgorithm algorithm, byte[] der)
    {
        try
        {
            algorithm.ImportSubjectPublicKeyInfo(der, out int read);
            if (read != der.Length)
            {
                throw CoreErrors.PublicKeyMalformed.ToException("trailing bytes after the SubjectPublicKeyInfo");
            }
        }
        catch (CryptographicException ex)
        {
            throw CoreErrors.PublicKeyMalformed.ToException("the key cannot be imported", ex);
        }
    }

    private AsymmetricAlgorithm Instance()
    {
        if (Environment.CurrentManagedThreadId == _ownerThreadId)
        {
            return _owned!;
        }

        ThreadLocal<AsymmetricAlgorithm>? others = Volatile.Read(ref _others);
        if (others is null)
        {
            var created = new ThreadLocal<AsymmetricAlgorithm>(Import, trackAllValues: true);
            others = Interlocked.CompareExchange(ref _others, created, null) ?? created;
            if (!ReferenceEquals(others, created))
            {
                created.Dispose();
            }
        }

        return others.Value!;
    }

    private AsymmetricAlgorithm Import()
    {
        if (Algorithm == KeyAlgorithm.Ecdsa)
        {
            return ECDsa.Create(_ecParameters);
        }

        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(_spki, out _);
        return rsa;
    }

    private bool VerifyEd25519(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // RFC 8032 section 5.1.7: a signature is exactly 64 bytes.
        if (signature.Length != 64)
        {
            return false;
        }

        // RFC 8032 section 5.1.7, via BouncyCastle's one-shot verifier (no signer object or message buffer).
        byte[] message = data.ToArray();
        return Ed25519.Verify(signature.ToArray(), 0, _ed25519Key!, 0, message, 0, message.Length);
    }
}
