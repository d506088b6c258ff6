using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Keys;

/// <summary>
/// A public key imported once and reused for many signature checks (key import costs about
/// 0.15 ms; verification is the hot path). Thread-safe: each thread gets its own imported instance.
/// </summary>
public sealed class PublicKeyVerifier : IDisposable
{
    private const string Ed25519Oid = "1.3.101.112";
    private readonly byte[] _spki;
    private readonly byte[]? _ed25519Key;
    private readonly ThreadLocal<AsymmetricAlgorithm>? _instances;
    private readonly RSASignaturePadding _rsaPadding;

    private PublicKeyVerifier(byte[] spki, KeyAlgorithm algorithm, HashAlgorithmName hash, RSASignaturePadding rsaPadding, byte[]? ed25519Key, int keySizeBits)
    {
        _spki = spki;
        Algorithm = algorithm;
        HashAlgorithm = hash;
        _rsaPadding = rsaPadding;
        _ed25519Key = ed25519Key;
        KeySizeBits = keySizeBits;
        if (algorithm != KeyAlgorithm.Ed25519)
        {
            _instances = new ThreadLocal<AsymmetricAlgorithm>(Import, trackAllValues: true);
        }
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
        string oid;
        byte[] keyBits;
        try
        {
            var reader = new AsnReader(spki.ToArray(), AsnEncodingRules.DER);
            AsnReader seq = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            AsnReader algId = seq.ReadSequence();
            oid = algId.ReadObjectIdentifier();
            keyBits = seq.ReadBitString(out int unused);
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

        byte[] der = spki.ToArray();
        switch (oid)
        {
            case Ed25519Oid:
                if (keyBits.Length != 32)
                {
                    throw CoreErrors.PublicKeyMalformed.ToException("an Ed25519 key is 32 bytes");
                }

                return new PublicKeyVerifier(der, KeyAlgorithm.Ed25519, default, RSASignaturePadding.Pkcs1, keyBits, 256);
            case "1.2.840.10045.2.1":
                using (var ec = ECDsa.Create())
                {
                    ImportOrThrow(ec, der);
                    HashAlgorithmName defaultHash = ec.KeySize switch
                    {
                        256 => HashAlgorithmName.SHA256,
                        384 => HashAlgorithmName.SHA384,
                        521 => HashAlgorithmName.SHA512,
                        _ => throw CoreErrors.UnsupportedKeyAlgorithm.ToException($"ECDSA curve of {ec.KeySize} bits"),
                    };
                    return new PublicKeyVerifier(der, KeyAlgorithm.Ecdsa, hash ?? defaultHash, RSASignaturePadding.Pkcs1, null, ec.KeySize);
                }

            case "1.2.840.113549.1.1.1":
                using (var rsa = RSA.Create())
                {
                    ImportOrThrow(rsa, der);
                    if (rsa.KeySize < 2048)
                    {
                        throw CoreErrors.UnsupportedKeyAlgorithm.ToException($"RSA keys under 2048 bits ({rsa.KeySize})");
                    }

                    return new PublicKeyVerifier(der, KeyAlgorithm.Rsa, hash ?? HashAlgorithmName.SHA256, rsaPadding ?? RSASignaturePadding.Pkcs1, null, rsa.KeySize);
                }

            default:
                throw CoreErrors.UnsupportedKeyAlgorithm.ToException($"public key algorithm {oid}");
        }
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
                return ((ECDsa)_instances!.Value!).VerifyData(data, signature, HashAlgorithm, DSASignatureFormat.Rfc3279DerSequence);
            default:
                return ((RSA)_instances!.Value!).VerifyData(data, signature, HashAlgorithm, _rsaPadding);
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
                    && ((ECDsa)_instances!.Value!).VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
            default:
                return IsSha2(digestAlgorithm, digest.Length)
                    && ((RSA)_instances!.Value!).VerifyHash(digest, signature, digestAlgorithm, _rsaPadding);
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
        if (_instances is null)
        {
            return;
        }

        foreach (AsymmetricAlgorithm instance in _instances.Values)
        {
            instance.Dispose();
        }

        _instances.Dispose();
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

    private AsymmetricAlgorithm Import()
    {
        AsymmetricAlgorithm algorithm = Algorithm == KeyAlgorithm.Ecdsa ? ECDsa.Create() : RSA.Create();
        algorithm.ImportSubjectPublicKeyInfo(_spki, out _);
        return algorithm;
    }

    private bool VerifyEd25519(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // RFC 8032 section 5.1.7: a signature is exactly 64 bytes.
        if (signature.Length != 64)
        {
            return false;
        }

        var signer = new Ed25519Signer();
        signer.Init(false, new Ed25519PublicKeyParameters(_ed25519Key, 0));
        byte[] message = data.ToArray();
        signer.BlockUpdate(message, 0, message.Length);
        return signer.VerifySignature(signature.ToArray());
    }
}
