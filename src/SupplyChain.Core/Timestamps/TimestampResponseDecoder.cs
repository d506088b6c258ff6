using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Timestamps;

/// <summary>
/// Decodes the <c>signedTimestamp</c> of a Sigstore bundle: a DER RFC 3161 <c>TimeStampResp</c>
/// (protobuf-specs RFC3161SignedTimestamp: "the DER encoded TimeStampResponse", RFC 3161 section 2.4.2), down to
/// the one SignerInfo of its CMS SignedData (RFC 5652 section 5) and its TSTInfo. Decoding does no cryptography
/// and trusts nothing: certificates embedded in the token are skipped, never used.
/// </summary>
internal static class TimestampResponseDecoder
{
    /// <summary>id-ct-TSTInfo (RFC 3161 section 2.4.2).</summary>
    internal const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    /// <summary>id-signedData (RFC 5652 section 5.1).</summary>
    private const string SignedDataContentType = "1.2.840.113549.1.7.2";

    private static readonly Asn1Tag Explicit0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Implicit0Constructed = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Implicit1Constructed = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag SubjectKeyIdentifierTag = new(TagClass.ContextSpecific, 0);

    /// <summary>
    /// Decodes <paramref name="response"/> and returns its TimeStampToken's signer and TSTInfo. Fails closed with
    /// SC1401 on anything that is not exactly one granted response holding one SignedData with exactly one signer over
    /// one TSTInfo: oversize input, non-DER structure, trailing bytes at any level, a rejection status, no token.
    /// </summary>
    /// <param name="response">The DER TimeStampResp.</param>
    public static DecodedTimestamp Decode(ReadOnlyMemory<byte> response)
    {
        if (response.Length > Limits.MaxDerBytes)
        {
            throw CoreErrors.TimestampMalformed.ToException($"{response.Length} bytes exceeds the limit of {Limits.MaxDerBytes}");
        }

        try
        {
            return DecodeResponse(response);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            throw CoreErrors.TimestampMalformed.ToException("not a DER TimeStampResp holding a CMS SignedData TimeStampToken", ex);
        }
    }

    private static DecodedTimestamp DecodeResponse(ReadOnlyMemory<byte> response)
    {
        // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
        var reader = new AsnReader(response, AsnEncodingRules.DER);
        AsnReader resp = reader.ReadSequence();
        reader.ThrowIfNotEmpty();

        // PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }
        AsnReader statusInfo = resp.ReadSequence();
        if (!statusInfo.TryReadInt32(out int status))
        {
            throw CoreErrors.TimestampMalformed.ToException("the PKIStatus is out of range");
        }

        // RFC 3161 section 2.4.2: "When the status contains the value zero or one, a TimeStampToken MUST be
        // present. When status contains a value other than zero or one, a TimeStampToken MUST NOT be present."
        if (status is not (0 or 1))
        {
            throw CoreErrors.TimestampMalformed.ToException($"the TSA did not grant the timestamp (PKIStatus {status})");
        }

        if (!resp.HasData)
        {
            throw CoreErrors.TimestampMalformed.ToException("a granted response has no TimeStampToken");
        }

        // RFC 3161 section 2.4.2: TimeStampToken ::= ContentInfo (RFC 5652 section 3) holding SignedData over a TSTInfo.
        // ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
        AsnReader contentInfo = resp.ReadSequence();
        resp.ThrowIfNotEmpty();
        if (contentInfo.ReadObjectIdentifier() != SignedDataContentType)
        {
            throw CoreErrors.TimestampMalformed.ToException("the TimeStampToken is not a CMS SignedData");
        }

        AsnReader explicitContent = contentInfo.ReadSequence(Explicit0);
        contentInfo.ThrowIfNotEmpty();

        // RFC 5652 section 5.1: SignedData ::= SEQUENCE { version CMSVersion, digestAlgorithms DigestAlgorithmIdentifiers,
        //   encapContentInfo EncapsulatedContentInfo, certificates [0] IMPLICIT CertificateSet OPTIONAL,
        //   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos SignerInfos }
        AsnReader signedData = explicitContent.ReadSequence();
        explicitContent.ThrowIfNotEmpty();
        // RFC 5652 section 5.1: "IF ... eContentType is other than id-data THEN version MUST be 3". Version 1 is also
        // accepted: GitHub's timestamp authority wrote it in 2023 (sigstore-go's examples/bundle-github-staging.json,
        // testdata/github-instance), and sigstore-go and sigstore-js accept it. The version is outside what the
        // signature covers and selects no other parsing here, so reading it leniently changes no verification outcome.
        if (!signedData.TryReadInt32(out int signedDataVersion) || signedDataVersion is not (1 or 3))
        {
            throw CoreErrors.TimestampMalformed.ToException("the SignedData version is not 3 (or 1)");
        }

        var digestAlgorithms = new List<string>();
        AsnReader digestAlgorithmSet = signedData.ReadSetOf(skipSortOrderValidation: true);
        while (digestAlgorithmSet.HasData)
        {
            digestAlgorithms.Add(AlgorithmOid(digestAlgorithmSet.ReadEncodedValue()));
        }

        // RFC 5652 section 5.2: EncapsulatedContentInfo ::= SEQUENCE { eContentType ContentType,
        //   eContent [0] EXPLICIT OCTET STRING OPTIONAL }; RFC 3161 section 2.4.2: eContentType is id-ct-TSTInfo.
        AsnReader encap = signedData.ReadSequence();
        if (encap.ReadObjectIdentifier() != TstInfoContentType || !encap.HasData)
        {
            throw CoreErrors.TimestampMalformed.ToException("the TimeStampToken does not encapsulate a TSTInfo");
        }

        AsnReader eContentWrapper = encap.ReadSequence(Explicit0);
        encap.ThrowIfNotEmpty();
        if (!eContentWrapper.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> eContent))
        {
            throw CoreErrors.TimestampMalformed.ToException("the TSTInfo is not a primitive OCTET STRING");
        }

        eContentWrapper.ThrowIfNotEmpty();

        // Embedded certificates are never trusted (the trusted TSA leaf comes from the trusted root only); they are
        // kept so that the verifier can require them to be copies of the trusted chain. CRLs are skipped.
        var embedded = new List<ReadOnlyMemory<byte>>();
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Implicit0Constructed))
        {
            AsnReader certificates = signedData.ReadSetOf(skipSortOrderValidation: true, Implicit0Constructed);
            while (certificates.HasData)
            {
                if (embedded.Count == Limits.MaxCertificatesInChain)
                {
                    throw CoreErrors.TimestampMalformed.ToException($"more than {Limits.MaxCertificatesInChain} embedded certificates");
                }

                embedded.Add(certificates.ReadEncodedValue());
            }
        }

        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Implicit1Constructed))
        {
            _ = signedData.ReadEncodedValue();
        }

        // RFC 3161 section 2.4.2 (via RFC 5652 section 5.1): SignerInfos ::= SET OF SignerInfo; a TSA token has one signer.
        AsnReader signerInfos = signedData.ReadSetOf(skipSortOrderValidation: true);
        signedData.ThrowIfNotEmpty();
        if (!signerInfos.HasData)
        {
            throw CoreErrors.TimestampMalformed.ToException("the TimeStampToken has no signer");
        }

        TimestampSigner signer = ReadSignerInfo(signerInfos.ReadSequence());

        // RFC 5652 section 5.1: digestAlgorithms lists the digest algorithms the signers use.
        if (!digestAlgorithms.Contains(AlgorithmOid(signer.DigestAlgorithm)))
        {
            throw CoreErrors.TimestampMalformed.ToException("the signer's digest algorithm is not among the SignedData digestAlgorithms");
        }
        if (signerInfos.HasData)
        {
            throw CoreErrors.TimestampMalformed.ToException("the TimeStampToken does not hold exactly one signer");
        }

        // RFC 3161 section 2.4.2: TSTInfo, decoded exactly (no trailing bytes inside the eContent).
        if (!Rfc3161TimestampTokenInfo.TryDecode(eContent, out Rfc3161TimestampTokenInfo? info, out int read) || read != eContent.Length)
        {
            throw CoreErrors.TimestampMalformed.ToException("the eContent is not exactly one TSTInfo");
        }

        return new DecodedTimestamp(signer, info, eContent, embedded);
    }

    /// <summary>The algorithm OID of a DER AlgorithmIdentifier (parameters ignored: NULL and absent are both seen).</summary>
    private static string AlgorithmOid(ReadOnlyMemory<byte> algorithmIdentifier)
    {
        var reader = new AsnReader(algorithmIdentifier, AsnEncodingRules.DER);
        return reader.ReadSequence().ReadObjectIdentifier();
    }

    // RFC 5652 section 5.3: SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier,
    //   digestAlgorithm DigestAlgorithmIdentifier, signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
    //   signatureAlgorithm SignatureAlgorithmIdentifier, signature SignatureValue, unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
    // SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber, subjectKeyIdentifier [0] SubjectKeyIdentifier }
    private static TimestampSigner ReadSignerInfo(AsnReader signerInfo)
    {
        // RFC 5652 section 5.3: version is 1 for issuerAndSerialNumber and 3 for subjectKeyIdentifier (checked below).
        if (!signerInfo.TryReadInt32(out int version))
        {
            throw CoreErrors.TimestampMalformed.ToException("the SignerInfo version is not a small integer");
        }

        ReadOnlyMemory<byte>? issuer = null;
        ReadOnlyMemory<byte>? serial = null;
        ReadOnlyMemory<byte>? keyIdentifier = null;
        if (signerInfo.PeekTag().HasSameClassAndValue(SubjectKeyIdentifierTag))
        {
            if (!signerInfo.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> ski, SubjectKeyIdentifierTag))
            {
                throw CoreErrors.TimestampMalformed.ToException("the subjectKeyIdentifier is not a primitive OCTET STRING");
            }

            keyIdentifier = ski;
            if (version != 3)
            {
                throw CoreErrors.TimestampMalformed.ToException("a SignerInfo naming subjectKeyIdentifier must have version 3");
            }
        }
        else
        {
            if (version != 1)
            {
                throw CoreErrors.TimestampMalformed.ToException("a SignerInfo naming issuerAndSerialNumber must have version 1");
            }

            // IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber CertificateSerialNumber }
            AsnReader issuerAndSerial = signerInfo.ReadSequence();
            issuer = issuerAndSerial.ReadEncodedValue();
            serial = issuerAndSerial.ReadIntegerBytes();
            issuerAndSerial.ThrowIfNotEmpty();
        }

        ReadOnlyMemory<byte> digestAlgorithm = signerInfo.ReadEncodedValue();
        ReadOnlyMemory<byte>? signedAttributes = null;
        var attributes = new List<SignedAttribute>();
        if (signerInfo.PeekTag().HasSameClassAndValue(Implicit0Constructed))
        {
            signedAttributes = signerInfo.PeekEncodedValue();

            // RFC 5652 section 5.3: SignedAttributes ::= SET SIZE (1..MAX) OF Attribute;
            // Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }.
            AsnReader set = signerInfo.ReadSetOf(skipSortOrderValidation: true, expectedTag: Implicit0Constructed);
            while (set.HasData)
            {
                AsnReader attribute = set.ReadSequence();
                string type = attribute.ReadObjectIdentifier();
                AsnReader values = attribute.ReadSetOf(skipSortOrderValidation: true);
                attribute.ThrowIfNotEmpty();
                var encodedValues = new List<ReadOnlyMemory<byte>>(1);
                while (values.HasData)
                {
                    encodedValues.Add(values.ReadEncodedValue());
                }

                attributes.Add(new SignedAttribute(type, encodedValues));
            }
        }

        ReadOnlyMemory<byte> signatureAlgorithm = signerInfo.ReadEncodedValue();
        if (!signerInfo.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> signature))
        {
            throw CoreErrors.TimestampMalformed.ToException("the SignerInfo signature is not a primitive OCTET STRING");
        }

        if (signerInfo.HasData && signerInfo.PeekTag().HasSameClassAndValue(Implicit1Constructed))
        {
            _ = signerInfo.ReadEncodedValue();
        }

        signerInfo.ThrowIfNotEmpty();
        return new TimestampSigner(issuer, serial, keyIdentifier, digestAlgorithm, signedAttributes, attributes, signatureAlgorithm, signature);
    }
}

/// <summary>The one SignerInfo of a TimeStampToken (RFC 5652 section 5.3), as slices of the token.</summary>
/// <param name="Issuer">The DER issuer Name of issuerAndSerialNumber, when the signer is named that way.</param>
/// <param name="SerialNumber">The serialNumber contents of issuerAndSerialNumber, when the signer is named that way.</param>
/// <param name="SubjectKeyIdentifier">The subjectKeyIdentifier, when the signer is named that way.</param>
/// <param name="DigestAlgorithm">The DER digestAlgorithm AlgorithmIdentifier.</param>
/// <param name="SignedAttributes">The whole DER <c>[0] IMPLICIT SignedAttributes</c>, when present.</param>
/// <param name="Attributes">The signed attributes, in order (empty when there are none).</param>
/// <param name="SignatureAlgorithm">The DER signatureAlgorithm AlgorithmIdentifier.</param>
/// <param name="Signature">The signature value.</param>
internal sealed record TimestampSigner(
    ReadOnlyMemory<byte>? Issuer,
    ReadOnlyMemory<byte>? SerialNumber,
    ReadOnlyMemory<byte>? SubjectKeyIdentifier,
    ReadOnlyMemory<byte> DigestAlgorithm,
    ReadOnlyMemory<byte>? SignedAttributes,
    IReadOnlyList<SignedAttribute> Attributes,
    ReadOnlyMemory<byte> SignatureAlgorithm,
    ReadOnlyMemory<byte> Signature);

/// <summary>One signed attribute (RFC 5652 section 5.3).</summary>
/// <param name="Type">attrType.</param>
/// <param name="Values">Each DER AttributeValue of attrValues.</param>
internal readonly record struct SignedAttribute(string Type, IReadOnlyList<ReadOnlyMemory<byte>> Values);

/// <summary>A decoded TimeStampToken.</summary>
/// <param name="Signer">The token's only SignerInfo (RFC 5652 section 5.3).</param>
/// <param name="Info">The token's TSTInfo (RFC 3161 section 2.4.2).</param>
/// <param name="Content">The eContent octets (the DER TSTInfo), which the message-digest attribute covers.</param>
/// <param name="EmbeddedCertificates">The encoded CertificateChoices of the SignedData certificates field (untrusted).</param>
internal sealed record DecodedTimestamp(TimestampSigner Signer, Rfc3161TimestampTokenInfo Info, ReadOnlyMemory<byte> Content, IReadOnlyList<ReadOnlyMemory<byte>> EmbeddedCertificates);
