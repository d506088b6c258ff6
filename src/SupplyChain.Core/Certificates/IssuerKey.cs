using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using SupplyChain.Core.Keys;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// A CA public key imported once, able to check certificate signatures of every algorithm the key supports
/// (RFC 5280 section 4.1.1.2/4.1.1.3). Thread-safe: the per-(hash, padding) verifiers are created once and shared.
/// </summary>
internal sealed class IssuerKey
{
    private readonly byte[] _spki;
    private readonly PublicKeyVerifier _default;
    private readonly ConcurrentDictionary<(HashAlgorithmName Hash, bool Pss), PublicKeyVerifier> _variants = new();

    /// <summary>Imports <paramref name="subjectPublicKeyInfo"/>.</summary>
    /// <param name="subjectPublicKeyInfo">The DER SubjectPublicKeyInfo.</param>
    /// <exception cref="Errors.MalformedInputException">SC1506/SC1507 when the key is unsupported or malformed.</exception>
    public IssuerKey(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        _spki = subjectPublicKeyInfo.ToArray();
        _default = PublicKeyVerifier.FromSubjectPublicKeyInfo(_spki);
        _variants[(_default.HashAlgorithm, false)] = _default;
    }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public ReadOnlySpan<byte> SubjectPublicKeyInfo => _spki;

    /// <summary>Verifies the signature of <paramref name="certificate"/> with this key.</summary>
    /// <param name="certificate">The parsed certificate.</param>
    /// <param name="failure">Why it does not verify.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    public bool VerifyCertificateSignature(CertificateDer certificate, out string? failure)
    {
        if (!CertificateSignatureAlgorithm.TryParse(certificate.SignatureAlgorithm, out CertificateSignatureAlgorithm algorithm, out failure))
        {
            return false;
        }

        if (algorithm.Key != _default.Algorithm)
        {
            failure = $"a {algorithm.Key} signature cannot come from an {_default.Algorithm} key";
            return false;
        }

        PublicKeyVerifier verifier = algorithm.Key == KeyAlgorithm.Ed25519
            ? _default
            : _variants.GetOrAdd((algorithm.Hash, algorithm.Pss), static (k, spki) => PublicKeyVerifier.FromSubjectPublicKeyInfo(spki, k.Hash, k.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1), _spki);
        if (!verifier.VerifyData(certificate.TbsCertificate.Span, certificate.SignatureValue.Span))
        {
            failure = "the signature does not verify with the issuer's key";
            return false;
        }

        return true;
    }
}

/// <summary>A certificate signature algorithm this verifier supports.</summary>
/// <param name="Key">The key family.</param>
/// <param name="Hash">The digest (unused by Ed25519).</param>
/// <param name="Pss">RSASSA-PSS rather than PKCS#1 v1.5.</param>
internal readonly record struct CertificateSignatureAlgorithm(KeyAlgorithm Key, HashAlgorithmName Hash, bool Pss)
{
    /// <summary>Decodes a DER AlgorithmIdentifier.</summary>
    /// <param name="encoded">The AlgorithmIdentifier.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="failure">Why it is not supported.</param>
    /// <returns><see langword="true"/> when supported.</returns>
    public static bool TryParse(ReadOnlyMemory<byte> encoded, out CertificateSignatureAlgorithm algorithm, out string? failure)
    {
        algorithm = default;
        failure = null;
        try
        {
            AsnReader id = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
            string oid = id.ReadObjectIdentifier();
            switch (oid)
            {
                // RFC 5758 section 3.2: ecdsa-with-SHA2 "the encoding MUST omit the parameters field".
                case "1.2.840.10045.4.3.2":
                case "1.2.840.10045.4.3.3":
                case "1.2.840.10045.4.3.4":
                    id.ThrowIfNotEmpty();
                    algorithm = new(KeyAlgorithm.Ecdsa, oid[^1] switch { '2' => HashAlgorithmName.SHA256, '3' => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 }, false);
                    return true;

                // RFC 4055 section 5: sha*WithRSAEncryption, parameters NULL (tolerate absent, as RFC 4055 notes implementations do).
                case "1.2.840.113549.1.1.11":
                case "1.2.840.113549.1.1.12":
                case "1.2.840.113549.1.1.13":
                    if (id.HasData)
                    {
                        id.ReadNull();
                    }

                    id.ThrowIfNotEmpty();
                    algorithm = new(KeyAlgorithm.Rsa, oid[^1] switch { '1' => HashAlgorithmName.SHA256, '2' => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 }, false);
                    return true;

                case "1.2.840.113549.1.1.10":
                    return TryParsePss(id, out algorithm, out failure);

                // RFC 8410 section 3: id-Ed25519, "the parameters MUST be absent".
                case "1.3.101.112":
                    id.ThrowIfNotEmpty();
                    algorithm = new(KeyAlgorithm.Ed25519, default, false);
                    return true;

                default:
                    failure = $"unsupported certificate signature algorithm {oid}";
                    return false;
            }
        }
        catch (AsnContentException)
        {
            failure = "malformed signature AlgorithmIdentifier";
            return false;
        }
    }

    // RFC 4055 section 3.1: RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] DEFAULT sha1, maskGenAlgorithm [1]
    // DEFAULT mgf1SHA1, saltLength [2] INTEGER DEFAULT 20, trailerField [3] INTEGER DEFAULT 1 }. Only SHA-2 with MGF1 of
    // the same hash and a salt as long as the hash are supported (what .NET's RSASignaturePadding.Pss verifies).
    private static bool TryParsePss(AsnReader id, out CertificateSignatureAlgorithm algorithm, out string? failure)
    {
        algorithm = default;
        failure = "unsupported RSASSA-PSS parameters";
        AsnReader pss = id.ReadSequence();
        id.ThrowIfNotEmpty();
        string hashOid = "1.3.14.3.2.26";
        string mgfHashOid = "1.3.14.3.2.26";
        int saltLength = 20;
        var tag0 = new Asn1Tag(TagClass.ContextSpecific, 0, true);
        var tag1 = new Asn1Tag(TagClass.ContextSpecific, 1, true);
        var tag2 = new Asn1Tag(TagClass.ContextSpecific, 2, true);
        var tag3 = new Asn1Tag(TagClass.ContextSpecific, 3, true);
        if (pss.HasData && pss.PeekTag().HasSameClassAndValue(tag0))
        {
            AsnReader hash = pss.ReadSequence(tag0).ReadSequence();
            hashOid = hash.ReadObjectIdentifier();
        }

        if (pss.HasData && pss.PeekTag().HasSameClassAndValue(tag1))
        {
            AsnReader mgf = pss.ReadSequence(tag1).ReadSequence();
            if (mgf.ReadObjectIdentifier() != "1.2.840.113549.1.1.8")
            {
                return false;
            }

            mgfHashOid = mgf.ReadSequence().ReadObjectIdentifier();
        }

        if (pss.HasData && pss.PeekTag().HasSameClassAndValue(tag2))
        {
            if (!pss.ReadSequence(tag2).TryReadInt32(out saltLength))
            {
                return false;
            }
        }

        if (pss.HasData && pss.PeekTag().HasSameClassAndValue(tag3))
        {
            if (!pss.ReadSequence(tag3).TryReadInt32(out int trailer) || trailer != 1)
            {
                return false;
            }
        }

        pss.ThrowIfNotEmpty();
        (HashAlgorithmName Name, int Length)? hashAlgorithm = hashOid switch
        {
            "2.16.840.1.101.3.4.2.1" => (HashAlgorithmName.SHA256, 32),
            "2.16.840.1.101.3.4.2.2" => (HashAlgorithmName.SHA384, 48),
            "2.16.840.1.101.3.4.2.3" => (HashAlgorithmName.SHA512, 64),
            _ => null,
        };
        if (hashAlgorithm is not { } h || mgfHashOid != hashOid || saltLength != h.Length)
        {
            return false;
        }

        failure = null;
        algorithm = new(KeyAlgorithm.Rsa, h.Name, true);
        return true;
    }
}
