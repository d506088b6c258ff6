using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Timestamps;

/// <summary>A verified RFC 3161 time.</summary>
/// <param name="Time">The genTime of the token.</param>
/// <param name="Authority">The trusted TSA that issued it.</param>
public sealed record VerifiedTimestamp(DateTimeOffset Time, CertificateAuthority Authority);

/// <summary>
/// RFC 3161 timestamp verification against the trusted root's TSAs (sigstore-go pkg/verify/tsa.go with sigstore
/// timestamp-authority pkg/verification). Built once per trusted root; thread-safe; never reads the clock: every
/// time check is made at the token's own genTime. <see cref="SigstoreVerifier"/> uses it for a bundle's timestamps;
/// a signer uses it to check the response of the timestamp authority it asked (Sigstore client spec, "Timestamping").
/// </summary>
public sealed class TimestampVerifier
{
    private const string ContentTypeOid = "1.2.840.113549.1.9.3";
    private const string MessageDigestOid = "1.2.840.113549.1.9.4";
    private const string SigningCertificateOid = "1.2.840.113549.1.9.16.2.12";
    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";
    private static readonly Asn1Tag DirectoryNameTag = new(TagClass.ContextSpecific, 4, isConstructed: true);

    private readonly TrustedTimestampAuthority[] _authorities;

    /// <summary>Precomputes per-TSA state: each chain's links and the TSA leaf profile are checked once, here.</summary>
    /// <param name="trust">The trusted material whose <see cref="ITrustedMaterial.TimestampAuthorities"/> are trusted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="trust"/> is null.</exception>
    public TimestampVerifier(ITrustedMaterial trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _authorities = trust.TimestampAuthorities.Select(a => new TrustedTimestampAuthority(a)).ToArray();
    }

    /// <summary>
    /// Verifies <paramref name="token"/> (a DER TimeStampResp, as bundles store it) over <paramref name="signature"/>:
    /// the CMS signature by a trusted TSA leaf, the TSA chain and the TSA's validFor at genTime, then the message imprint.
    /// </summary>
    /// <param name="token">The bundle's <c>signedTimestamp</c>: a DER RFC 3161 TimeStampResp.</param>
    /// <param name="signature">The bytes that were timestamped: the message signature or the DSSE signature.</param>
    /// <returns>The verified genTime and the TSA that vouches for it.</returns>
    /// <exception cref="MalformedInputException">SC1401 when the response cannot be decoded.</exception>
    /// <exception cref="VerificationFailedException">
    /// SC1402 bad signature, SC1403 untrusted signer, SC1404 imprint mismatch, SC1405 TSA not valid at genTime,
    /// SC1408 unsupported imprint hash algorithm.
    /// </exception>
    public VerifiedTimestamp Verify(ReadOnlyMemory<byte> token, ReadOnlySpan<byte> signature)
    {
        DecodedTimestamp decoded = TimestampResponseDecoder.Decode(token);
        DateTimeOffset genTime = decoded.Info.Timestamp;

        Failure? best = _authorities.Length == 0 ? new Failure(CoreErrors.TimestampUntrustedAuthority, "the trusted root lists no timestamp authority") : null;
        foreach (TrustedTimestampAuthority tsa in _authorities)
        {
            Failure? failure = Check(tsa, decoded, genTime);
            if (failure is null)
            {
                // The token is authentic and its TSA trusted at genTime; now, what did it timestamp?
                CheckImprint(decoded.Info, signature);
                return new VerifiedTimestamp(genTime, tsa.Authority);
            }

            best = best is null || failure.Rank > best.Rank ? failure : best;
        }

        throw best!.Code.ToException(best.Detail);
    }

    private static Failure? Check(TrustedTimestampAuthority tsa, DecodedTimestamp decoded, DateTimeOffset genTime)
    {
        string name = tsa.Authority.Uri ?? tsa.Authority.SubjectCommonName ?? "TSA";
        if (tsa.UnusableReason is { } reason)
        {
            return new Failure(CoreErrors.TimestampUntrustedAuthority, $"{name}: {reason}");
        }

        // RFC 5652 section 5.3: the SignerIdentifier names the signing certificate. Only a token that names this
        // TSA's leaf can have been signed by it.
        if (!tsa.IsNamedBy(decoded.Signer))
        {
            return new Failure(CoreErrors.TimestampUntrustedAuthority, $"the timestamp is not signed by {name}");
        }

        // Embedded certificates carry no trust, and the signature does not cover them; they may only be copies of
        // this TSA's trusted chain (sigstore timestamp-authority: an embedded leaf must equal the trusted one), so
        // that no byte of a verified bundle is unchecked.
        foreach (ReadOnlyMemory<byte> embedded in decoded.EmbeddedCertificates)
        {
            if (!tsa.Authority.Chain.Any(c => c.RawDataMemory.Span.SequenceEqual(embedded.Span)))
            {
                return new Failure(CoreErrors.TimestampUntrustedAuthority, $"a certificate embedded in the timestamp is not one of the trusted chain of {name}");
            }
        }

        // RFC 5280 section 6.1.3 (a)(2), evaluated at genTime rather than now: a timestamp outlives its TSA chain.
        if (!tsa.ChainValidAt(genTime))
        {
            return new Failure(CoreErrors.TimestampAuthorityNotValidAtTime, $"genTime {genTime:O} is outside the validity of the certificate chain of {name}");
        }

        // RFC 5652 section 5.4/5.6: the signature over the signed attributes, which bind the TSTInfo (content-type and
        // message-digest), checked with the trusted leaf's key. Certificates embedded in the token are never used.
        if (CheckSignature(tsa.Key!, decoded) is { } invalid)
        {
            return new Failure(CoreErrors.TimestampSignatureInvalid, $"the CMS signature does not verify with the certificate of {name}: {invalid}");
        }

        // RFC 3161 section 2.4.1 / RFC 5035 section 5.4: the ESS signing-certificate(-v2) attribute binds the trusted leaf.
        if (CheckSigningCertificate(tsa, decoded.Signer) is { } unbound)
        {
            return new Failure(CoreErrors.TimestampUntrustedAuthority, $"the timestamp does not bind the certificate of {name}: {unbound}");
        }

        // Sigstore client spec: the TSA's validFor in the trusted root (a closed interval) must contain genTime.
        if (!tsa.Authority.ValidFor.Contains(genTime))
        {
            return new Failure(CoreErrors.TimestampAuthorityNotValidAtTime, $"genTime {genTime:O} is outside {name} validFor {tsa.Authority.ValidFor}");
        }

        return null;
    }

    // RFC 5652 section 5.4: "the message digest is computed on ... the DER encoding of the SignedAttrs value"
    // with "the IMPLICIT [0] tag in the signedAttrs field ... replaced by an EXPLICIT SET OF tag"; section 5.6: the
    // content-type attribute must name the eContentType, and the message-digest attribute must equal the digest of
    // the eContent octets. Returns why the signature does not verify, or null.
    private static string? CheckSignature(PublicKeyVerifier key, DecodedTimestamp decoded)
    {
        TimestampSigner signer = decoded.Signer;

        // RFC 5652 section 5.3: signedAttrs "MUST be present" when the content type is not id-data (here id-ct-TSTInfo).
        if (signer.SignedAttributes is not { } signedAttributes)
        {
            return "the SignerInfo has no signed attributes";
        }

        if (DigestAlgorithm(signer.DigestAlgorithm) is not { } digestAlgorithm)
        {
            return "unsupported digest algorithm";
        }

        // RFC 5652 section 11.1 and 11.2: exactly one content-type and one message-digest attribute, each single-valued.
        ReadOnlyMemory<byte>? contentType = null;
        ReadOnlyMemory<byte>? messageDigest = null;
        foreach (SignedAttribute attribute in signer.Attributes)
        {
            if (attribute.Type is not (ContentTypeOid or MessageDigestOid))
            {
                continue;
            }

            ref ReadOnlyMemory<byte>? slot = ref attribute.Type == ContentTypeOid ? ref contentType : ref messageDigest;
            if (slot is not null || attribute.Values.Count != 1)
            {
                return $"attribute {attribute.Type} must appear once with one value";
            }

            slot = attribute.Values[0];
        }

        if (contentType is not { } ct || messageDigest is not { } md)
        {
            return "the content-type or message-digest attribute is missing";
        }

        try
        {
            var ctReader = new AsnReader(ct, AsnEncodingRules.DER);
            if (ctReader.ReadObjectIdentifier() != TimestampResponseDecoder.TstInfoContentType)
            {
                return "the content-type attribute is not id-ct-TSTInfo";
            }

            ctReader.ThrowIfNotEmpty();
            var mdReader = new AsnReader(md, AsnEncodingRules.DER);
            if (!mdReader.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> claimed))
            {
                return "the message-digest attribute is not a primitive OCTET STRING";
            }

            mdReader.ThrowIfNotEmpty();
            Span<byte> contentDigest = stackalloc byte[64];
            int length = CryptographicOperations.HashData(digestAlgorithm, decoded.Content.Span, contentDigest);
            if (!claimed.Span.SequenceEqual(contentDigest[..length]))
            {
                return "the message-digest attribute is not the digest of the TSTInfo";
            }
        }
        catch (AsnContentException)
        {
            return "malformed content-type or message-digest attribute";
        }

        if (SignatureHash(signer.SignatureAlgorithm, key.Algorithm, digestAlgorithm) is not { } signatureHash)
        {
            return "the signature algorithm does not match the TSA key and digest algorithm";
        }

        // The DER SignedAttrs as signed: the [0] IMPLICIT tag (0xA0) replaced by the SET OF tag (0x31).
        byte[] signed = signedAttributes.ToArray();
        signed[0] = 0x31;
        Span<byte> attributesDigest = stackalloc byte[64];
        int written = CryptographicOperations.HashData(signatureHash, signed, attributesDigest);
        try
        {
            return key.VerifyDigest(attributesDigest[..written], signatureHash, signer.Signature.Span) ? null : "bad signature";
        }
        catch (CryptographicException)
        {
            return "malformed signature";
        }
    }

    // RFC 3161 section 2.4.1 (the signer's certificate "MUST be included as a signingCertificate attribute") with
    // RFC 2634 section 5.4 (ESSCertID, SHA-1) / RFC 5035 section 5.4 (ESSCertIDv2): the first certificate identifier is
    // the signer's, so its hash must be the hash of the trusted TSA leaf, and an issuerSerial, when present, must name it.
    private static string? CheckSigningCertificate(TrustedTimestampAuthority tsa, TimestampSigner signer)
    {
        bool found = false;
        foreach (SignedAttribute attribute in signer.Attributes)
        {
            bool v2 = attribute.Type == SigningCertificateV2Oid;
            if (!v2 && attribute.Type != SigningCertificateOid)
            {
                continue;
            }

            if (attribute.Values.Count != 1)
            {
                return $"attribute {attribute.Type} must have one value";
            }

            found = true;
            try
            {
                if (CheckEssCertId(tsa, attribute.Values[0], v2) is { } problem)
                {
                    return problem;
                }
            }
            catch (AsnContentException)
            {
                return "malformed signing-certificate attribute";
            }
        }

        return found ? null : "no ESS signing-certificate or signing-certificate-v2 attribute";
    }

    // SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies SEQUENCE OF PolicyInformation OPTIONAL }
    // ESSCertID ::= SEQUENCE { certHash Hash (SHA-1), issuerSerial IssuerSerial OPTIONAL }
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF PolicyInformation OPTIONAL }
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256}, certHash Hash, issuerSerial IssuerSerial OPTIONAL }
    // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
    private static string? CheckEssCertId(TrustedTimestampAuthority tsa, ReadOnlyMemory<byte> value, bool v2)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        AsnReader signingCertificate = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        AsnReader certs = signingCertificate.ReadSequence();
        if (!certs.HasData)
        {
            return "the signing-certificate attribute lists no certificate";
        }

        AsnReader certId = certs.ReadSequence();
        HashAlgorithmName hash = HashAlgorithmName.SHA1;
        if (v2)
        {
            hash = HashAlgorithmName.SHA256;
            if (certId.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                if (DigestAlgorithm(certId.ReadEncodedValue()) is not { } named)
                {
                    return "unsupported ESSCertIDv2 hash algorithm";
                }

                hash = named;
            }
        }

        if (!certId.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> certHash))
        {
            return "the certHash is not a primitive OCTET STRING";
        }

        if (!certHash.Span.SequenceEqual(tsa.LeafHash(hash)))
        {
            return "the ESS certHash is not the hash of the trusted TSA certificate";
        }

        if (certId.HasData)
        {
            AsnReader issuerSerial = certId.ReadSequence();
            AsnReader generalNames = issuerSerial.ReadSequence();
            ReadOnlyMemory<byte> serial = issuerSerial.ReadIntegerBytes();
            issuerSerial.ThrowIfNotEmpty();
            if (!serial.Span.SequenceEqual(tsa.LeafSerialNumber.Span))
            {
                return "the ESS issuerSerial serial number is not the trusted TSA certificate's";
            }

            while (generalNames.HasData)
            {
                // GeneralName directoryName [4] EXPLICIT Name (RFC 5280 section 4.2.1.6).
                if (generalNames.PeekTag().HasSameClassAndValue(DirectoryNameTag))
                {
                    AsnReader directoryName = generalNames.ReadSequence(DirectoryNameTag);
                    ReadOnlyMemory<byte> name = directoryName.ReadEncodedValue();
                    directoryName.ThrowIfNotEmpty();
                    if (!name.Span.SequenceEqual(tsa.LeafIssuer.Span))
                    {
                        return "the ESS issuerSerial issuer is not the trusted TSA certificate's issuer";
                    }
                }
                else
                {
                    _ = generalNames.ReadEncodedValue();
                }
            }
        }

        certId.ThrowIfNotEmpty();
        return null;
    }

    // AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }: SHA-2 digests
    // (RFC 5754 section 2: parameters absent or NULL). SHA-1 only where RFC 2634 ESSCertID fixes it.
    private static HashAlgorithmName? DigestAlgorithm(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            AsnReader id = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
            string oid = id.ReadObjectIdentifier();
            if (id.HasData)
            {
                id.ReadNull();
            }

            id.ThrowIfNotEmpty();
            return oid switch
            {
                "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
                "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
                "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
                _ => null,
            };
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    // RFC 5753 section 2.1.1 (ECDSA: ecdsa-with-SHA*, RFC 5758 section 3.2) and RFC 3370 section 3.2 / RFC 4056
    // (RSA: rsaEncryption or sha*WithRSAEncryption). The hash named by the signature algorithm must be the SignerInfo
    // digestAlgorithm; id-ecPublicKey and rsaEncryption, which name none, use the digestAlgorithm.
    private static HashAlgorithmName? SignatureHash(ReadOnlyMemory<byte> encoded, KeyAlgorithm key, HashAlgorithmName digest)
    {
        string oid;
        try
        {
            AsnReader id = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
            oid = id.ReadObjectIdentifier();
            if (id.HasData)
            {
                id.ReadNull();
            }

            id.ThrowIfNotEmpty();
        }
        catch (AsnContentException)
        {
            return null;
        }

        (KeyAlgorithm Family, HashAlgorithmName? Hash)? algorithm = oid switch
        {
            "1.2.840.10045.4.3.2" => (KeyAlgorithm.Ecdsa, HashAlgorithmName.SHA256),
            "1.2.840.10045.4.3.3" => (KeyAlgorithm.Ecdsa, HashAlgorithmName.SHA384),
            "1.2.840.10045.4.3.4" => (KeyAlgorithm.Ecdsa, HashAlgorithmName.SHA512),
            "1.2.840.10045.2.1" => (KeyAlgorithm.Ecdsa, null),
            "1.2.840.113549.1.1.11" => (KeyAlgorithm.Rsa, HashAlgorithmName.SHA256),
            "1.2.840.113549.1.1.12" => (KeyAlgorithm.Rsa, HashAlgorithmName.SHA384),
            "1.2.840.113549.1.1.13" => (KeyAlgorithm.Rsa, HashAlgorithmName.SHA512),
            "1.2.840.113549.1.1.1" => (KeyAlgorithm.Rsa, null),
            _ => null,
        };
        if (algorithm is not { } a || a.Family != key || (a.Hash is { } named && named != digest))
        {
            return null;
        }

        return digest;
    }

    private static void CheckImprint(Rfc3161TimestampTokenInfo info, ReadOnlySpan<byte> signature)
    {
        // RFC 3161 section 2.4.2: messageImprint "contains the hash algorithm and the hash value of the data to be
        // time-stamped"; Sigstore timestamps the signature bytes.
        HashAlgorithmName algorithm = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => throw CoreErrors.TimestampImprintAlgorithmUnsupported.ToException($"message imprint algorithm {info.HashAlgorithmId.Value}"),
        };

        Span<byte> digest = stackalloc byte[64];
        int written = CryptographicOperations.HashData(algorithm, signature, digest);
        if (!CryptographicOperations.FixedTimeEquals(digest[..written], info.GetMessageHash().Span))
        {
            throw CoreErrors.TimestampImprintMismatch.ToException($"the {algorithm.Name} message imprint is not the hash of the signature");
        }
    }

    /// <summary>A failure against one TSA; the most specific (highest rank) is reported when none verifies.</summary>
    private sealed record Failure(ErrorCode Code, string Detail)
    {
        public int Rank => Code.Code switch
        {
            "SC1405" => 3,
            "SC1402" => 2,
            _ => 1,
        };
    }
}
