using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Timestamps;

/// <summary>
/// One timestamp authority of the trusted root with everything that does not depend on a token checked once:
/// the chain's internal links (names and signatures), CA constraints and the TSA leaf's profile. Immutable after
/// construction, so it is shared by every thread that verifies.
/// </summary>
internal sealed class TrustedTimestampAuthority
{
    private const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";
    private const string EkuExtensionOid = "2.5.29.37";

    private readonly byte[] _leafRaw;
    private readonly ConcurrentDictionary<HashAlgorithmName, byte[]> _leafHashes = new();
    private readonly CertificateDer? _leafDer;
    private readonly ReadOnlyMemory<byte>? _leafKeyIdentifier;
    private readonly DateTimeOffset _chainNotBefore;
    private readonly DateTimeOffset _chainNotAfter;

    public TrustedTimestampAuthority(CertificateAuthority authority)
    {
        Authority = authority;
        IReadOnlyList<X509Certificate2> chain = authority.Chain;
        if (chain.Count == 0)
        {
            UnusableReason = "the trusted root lists no certificate for this TSA";
            Leaf = null!;
            _leafRaw = [];
            return;
        }

        Leaf = chain[0];
        _leafRaw = Leaf.RawData;
        _chainNotBefore = DateTimeOffset.MinValue;
        _chainNotAfter = DateTimeOffset.MaxValue;
        foreach (X509Certificate2 cert in chain)
        {
            var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
            _chainNotBefore = notBefore > _chainNotBefore ? notBefore : _chainNotBefore;
            _chainNotAfter = notAfter < _chainNotAfter ? notAfter : _chainNotAfter;
        }

        UnusableReason = CheckLeafProfile(Leaf) ?? CheckChainLinks(chain);
        if (UnusableReason is null)
        {
            // Parsed once: the leaf's names, key and certificate hashes are what each token is checked against.
            try
            {
                _leafDer = CertificateDer.Parse(_leafRaw);
                _leafKeyIdentifier = CertificateProfile.From(_leafDer).SubjectKeyIdentifier;
                Key = PublicKeyVerifier.FromSubjectPublicKeyInfo(_leafDer.SubjectPublicKeyInfo.Span);
            }
            catch (SupplyChainException ex)
            {
                UnusableReason = $"the TSA certificate cannot be used: {ex.Message}";
            }
        }
    }

    /// <summary>The TSA leaf's public key, imported once (<see langword="null"/> when the TSA is unusable).</summary>
    public PublicKeyVerifier? Key { get; }

    /// <summary>The hash of the DER TSA leaf certificate with <paramref name="algorithm"/> (an ESSCertID certHash, RFC 5035 section 5.4).</summary>
    /// <param name="algorithm">SHA-1 (ESSCertID) or SHA-256/384/512 (ESSCertIDv2).</param>
    public byte[] LeafHash(HashAlgorithmName algorithm) =>
        _leafHashes.GetOrAdd(algorithm, static (a, raw) => CryptographicOperations.HashData(a, raw), _leafRaw);

    /// <summary>The DER issuer Name of the TSA leaf.</summary>
    public ReadOnlyMemory<byte> LeafIssuer => _leafDer?.Issuer ?? default;

    /// <summary>The serialNumber contents of the TSA leaf.</summary>
    public ReadOnlyMemory<byte> LeafSerialNumber => _leafDer?.SerialNumber ?? default;

    /// <summary>The authority as the trusted root lists it.</summary>
    public CertificateAuthority Authority { get; }

    /// <summary>The TSA signing certificate (the first of the trusted chain).</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>Why this TSA can never verify a timestamp, or <see langword="null"/> when it is usable.</summary>
    public string? UnusableReason { get; }

    /// <summary>
    /// RFC 5280 section 4.1.2.5 (validity, both ends inclusive) for every certificate of the trusted chain, at
    /// <paramref name="instant"/>: the timestamp's genTime, never the current time.
    /// </summary>
    public bool ChainValidAt(DateTimeOffset instant) => instant >= _chainNotBefore && instant <= _chainNotAfter;

    /// <summary>
    /// <see langword="true"/> when the CMS SignerIdentifier (RFC 5652 section 5.3) names the trusted leaf: its issuer
    /// Name (DER) and serial number, or its subject key identifier. Only a token that names the leaf can have been
    /// signed by it; the signature is then checked with the leaf's own key.
    /// </summary>
    public bool IsNamedBy(TimestampSigner signer)
    {
        if (_leafDer is null)
        {
            return false;
        }

        if (signer.SubjectKeyIdentifier is { } ski)
        {
            return _leafKeyIdentifier is { } own && own.Span.SequenceEqual(ski.Span);
        }

        return signer.Issuer is { } issuer && signer.SerialNumber is { } serial
            && issuer.Span.SequenceEqual(_leafDer.Issuer.Span)
            && serial.Span.SequenceEqual(_leafDer.SerialNumber.Span);
    }

    private static string? CheckLeafProfile(X509Certificate2 leaf)
    {
        // RFC 3161 section 2.3: "The TSA MUST sign each time-stamp message with a key reserved specifically for that
        // purpose. A TSA MAY have distinct private keys ... The corresponding certificate MUST contain only one instance
        // of the extended key usage field extension as defined in [RFC2459] Section 4.2.1.13 with KeyPurposeID having
        // value: id-kp-timeStamping. This extension MUST be critical." sigstore timestamp-authority's verifier enforces
        // the critical flag and a single purpose, so this does too.
        X509Extension[] ekus = leaf.Extensions.Cast<X509Extension>().Where(e => e.Oid?.Value == EkuExtensionOid).ToArray();
        if (ekus.Length != 1)
        {
            return "the TSA certificate does not have exactly one extended key usage extension (RFC 3161 section 2.3)";
        }

        if (!ekus[0].Critical)
        {
            return "the TSA certificate's extended key usage is not critical (RFC 3161 section 2.3)";
        }

        var eku = new X509EnhancedKeyUsageExtension(ekus[0], critical: true);
        if (eku.EnhancedKeyUsages.Count != 1 || eku.EnhancedKeyUsages[0].Value != TimeStampingEku)
        {
            return "the TSA certificate's only key purpose must be id-kp-timeStamping (RFC 3161 section 2.3)";
        }

        // RFC 5280 section 4.2.1.9: an end-entity certificate is not a CA (sigstore timestamp-authority refuses CA leaves).
        if (leaf.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
        {
            return "the TSA certificate is a CA certificate";
        }

        // RFC 5280 section 4.2.1.3: when key usage is present, the key must be usable for signatures.
        if (leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } ku
            && (ku.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
        {
            return "the TSA certificate's key usage allows neither digitalSignature nor nonRepudiation";
        }

        return null;
    }

    private static string? CheckChainLinks(IReadOnlyList<X509Certificate2> chain)
    {
        if (chain.Count > Limits.MaxCertificatesInChain)
        {
            return $"the TSA chain has more than {Limits.MaxCertificatesInChain} certificates";
        }

        for (int i = 1; i < chain.Count; i++)
        {
            X509Certificate2 issuer = chain[i];
            X509Certificate2 subject = chain[i - 1];

            // RFC 5280 section 6.1.3 (a)(4): the certificate's issuer name is the working issuer name.
            if (!subject.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
            {
                return $"certificate {i - 1} of the TSA chain is not issued by certificate {i} (names differ)";
            }

            // RFC 5280 section 4.2.1.9: issuers are CAs, within their path length constraint.
            if (issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true } bc)
            {
                return $"certificate {i} of the TSA chain is not a CA";
            }

            if (bc.HasPathLengthConstraint && i - 1 > bc.PathLengthConstraint)
            {
                return $"certificate {i} of the TSA chain exceeds its path length constraint";
            }

            // RFC 5280 section 4.2.1.3: a CA key that signs certificates has keyCertSign when key usage is present.
            if (issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } ku && (ku.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
            {
                return $"certificate {i} of the TSA chain lacks keyCertSign";
            }

            // EKU chaining (sigstore timestamp-authority): an intermediate that restricts its purposes must allow timestamping.
            if (i < chain.Count - 1
                && issuer.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku
                && !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStampingEku))
            {
                return $"intermediate {i} of the TSA chain does not allow id-kp-timeStamping";
            }

            // RFC 5280 section 6.1.3 (a)(1): the signature verifies with the issuer's public key.
            if (!SignatureVerifies(subject, issuer))
            {
                return $"the signature of certificate {i - 1} of the TSA chain does not verify with certificate {i}";
            }
        }

        return null;
    }

    private static bool SignatureVerifies(X509Certificate2 subject, X509Certificate2 issuer)
    {
        try
        {
            // RFC 5280 section 4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
            var reader = new AsnReader(subject.RawData, AsnEncodingRules.DER);
            AsnReader certificate = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            ReadOnlyMemory<byte> tbs = certificate.ReadEncodedValue();
            ReadOnlyMemory<byte> outerAlgorithm = certificate.PeekEncodedValue();
            AsnReader algorithm = certificate.ReadSequence();
            string oid = algorithm.ReadObjectIdentifier();
            byte[] signature = certificate.ReadBitString(out int unusedBits);
            certificate.ThrowIfNotEmpty();
            if (unusedBits != 0 || !InnerAlgorithmMatches(tbs, outerAlgorithm.Span))
            {
                return false;
            }

            HashAlgorithmName? hash = oid switch
            {
                "1.2.840.10045.4.3.2" or "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
                "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
                "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
                "1.3.101.112" => null,
                _ => throw CoreErrors.UnsupportedKeyAlgorithm.ToException($"certificate signature algorithm {oid}"),
            };
            using PublicKeyVerifier key = PublicKeyVerifier.FromSubjectPublicKeyInfo(issuer.PublicKey.ExportSubjectPublicKeyInfo(), hash);
            bool familyMatches = oid.StartsWith("1.2.840.10045.", StringComparison.Ordinal) ? key.Algorithm == KeyAlgorithm.Ecdsa
                : oid.StartsWith("1.2.840.113549.", StringComparison.Ordinal) ? key.Algorithm == KeyAlgorithm.Rsa
                : key.Algorithm == KeyAlgorithm.Ed25519;
            return familyMatches && key.VerifyData(tbs.Span, signature);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or SupplyChainException)
        {
            return false;
        }
    }

    // RFC 5280 section 4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the signature field
    // in the sequence tbsCertificate (Section 4.1.2.3)".
    private static bool InnerAlgorithmMatches(ReadOnlyMemory<byte> tbs, ReadOnlySpan<byte> outerAlgorithm)
    {
        AsnReader tbsReader = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        if (tbsReader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            tbsReader.ReadEncodedValue();
        }

        tbsReader.ReadEncodedValue(); // serialNumber
        return tbsReader.ReadEncodedValue().Span.SequenceEqual(outerAlgorithm);
    }
}
