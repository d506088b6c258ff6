using System.Formats.Asn1;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Certificates;

/// <summary>One extension of a certificate (RFC 5280 section 4.1: <c>Extension ::= SEQUENCE { extnID, critical, extnValue }</c>).</summary>
/// <param name="Oid">The extension's OID (<c>extnID</c>).</param>
/// <param name="Critical">The <c>critical</c> flag.</param>
/// <param name="Value">The contents of <c>extnValue</c> (the DER the OCTET STRING wraps).</param>
/// <param name="Encoded">The whole DER <c>Extension</c>, to copy it unchanged into a re-encoded TBS.</param>
internal readonly record struct CertificateExtension(string Oid, bool Critical, ReadOnlyMemory<byte> Value, ReadOnlyMemory<byte> Encoded);

/// <summary>
/// A certificate split into the parts verification needs, read once with <see cref="AsnReader"/> (DER) and
/// without copying: the slices point into the certificate's own bytes.
/// <code>
/// Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
/// TBSCertificate ::= SEQUENCE {
///   version [0] EXPLICIT Version DEFAULT v1, serialNumber CertificateSerialNumber, signature AlgorithmIdentifier,
///   issuer Name, validity Validity, subject Name, subjectPublicKeyInfo SubjectPublicKeyInfo,
///   issuerUniqueID [1] IMPLICIT UniqueIdentifier OPTIONAL, subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL,
///   extensions [3] EXPLICIT Extensions OPTIONAL }
/// </code>
/// (RFC 5280 section 4.1).
/// </summary>
internal sealed class CertificateDer
{
    private static readonly Asn1Tag ExplicitVersion = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag IssuerUniqueId = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag SubjectUniqueId = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag ExplicitExtensions = new(TagClass.ContextSpecific, 3, isConstructed: true);

    private CertificateDer()
    {
    }

    /// <summary>The whole DER <c>TBSCertificate</c> (what the issuer signed).</summary>
    public ReadOnlyMemory<byte> TbsCertificate { get; private init; }

    /// <summary>The contents of <c>serialNumber</c> (the INTEGER's big-endian two's complement bytes).</summary>
    public ReadOnlyMemory<byte> SerialNumber { get; private init; }

    /// <summary>The DER <c>AlgorithmIdentifier</c> of <c>signatureAlgorithm</c>.</summary>
    public ReadOnlyMemory<byte> SignatureAlgorithm { get; private init; }

    /// <summary>The contents of <c>signatureValue</c>.</summary>
    public ReadOnlyMemory<byte> SignatureValue { get; private init; }

    /// <summary>The DER <c>Name</c> of the issuer.</summary>
    public ReadOnlyMemory<byte> Issuer { get; private init; }

    /// <summary>The DER <c>Name</c> of the subject.</summary>
    public ReadOnlyMemory<byte> Subject { get; private init; }

    /// <summary>The DER <c>SubjectPublicKeyInfo</c>.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; private init; }

    /// <summary>The first instant the certificate is valid (<c>notBefore</c>, inclusive).</summary>
    public DateTimeOffset NotBefore { get; private init; }

    /// <summary>The last instant the certificate is valid (<c>notAfter</c>, inclusive, RFC 5280 section 4.1.2.5).</summary>
    public DateTimeOffset NotAfter { get; private init; }

    /// <summary>The extensions in certificate order (empty for v1/v2 certificates).</summary>
    public IReadOnlyList<CertificateExtension> Extensions { get; private init; } = [];

    /// <summary><see langword="true"/> when <paramref name="at"/> lies in [notBefore, notAfter] (RFC 5280 section 4.1.2.5).</summary>
    /// <param name="at">The instant to test.</param>
    public bool IsValidAt(DateTimeOffset at) => at >= NotBefore && at <= NotAfter;

    /// <summary>Finds an extension by OID.</summary>
    /// <param name="oid">The extension OID.</param>
    /// <param name="extension">The extension, when present.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool TryGetExtension(string oid, out CertificateExtension extension)
    {
        foreach (CertificateExtension e in Extensions)
        {
            if (e.Oid == oid)
            {
                extension = e;
                return true;
            }
        }

        extension = default;
        return false;
    }

    /// <summary>Parses a DER certificate.</summary>
    /// <param name="der">The certificate bytes; the result keeps slices of them.</param>
    /// <exception cref="MalformedInputException">SC1307 when the bytes are not one DER certificate.</exception>
    public static CertificateDer Parse(ReadOnlyMemory<byte> der)
    {
        if (der.Length > Limits.MaxDerBytes)
        {
            throw CoreErrors.CertificateMalformed.ToException($"the certificate exceeds {Limits.MaxDerBytes} bytes");
        }

        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            AsnReader certificate = outer.ReadSequence();
            outer.ThrowIfNotEmpty();

            ReadOnlyMemory<byte> tbs = certificate.ReadEncodedValue();
            ReadOnlyMemory<byte> signatureAlgorithm = certificate.ReadEncodedValue();
            if (!certificate.TryReadPrimitiveBitString(out int unusedBits, out ReadOnlyMemory<byte> signature) || unusedBits != 0)
            {
                throw CoreErrors.CertificateMalformed.ToException("the signatureValue is not a whole-byte BIT STRING");
            }

            certificate.ThrowIfNotEmpty();

            var tbsReader = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
            if (tbsReader.PeekTag().HasSameClassAndValue(ExplicitVersion))
            {
                AsnReader version = tbsReader.ReadSequence(ExplicitVersion);
                _ = version.ReadInteger();
                version.ThrowIfNotEmpty();
            }

            ReadOnlyMemory<byte> serialNumber = tbsReader.ReadIntegerBytes();
            ReadOnlyMemory<byte> tbsSignatureAlgorithm = tbsReader.ReadEncodedValue();

            // RFC 5280 section 4.1.2.3: the signature field "MUST contain the same algorithm identifier as the
            // signatureAlgorithm field in the sequence Certificate".
            if (!tbsSignatureAlgorithm.Span.SequenceEqual(signatureAlgorithm.Span))
            {
                throw CoreErrors.CertificateMalformed.ToException("the TBS signature algorithm differs from the certificate's signatureAlgorithm");
            }

            ReadOnlyMemory<byte> issuer = tbsReader.ReadEncodedValue();
            AsnReader validity = tbsReader.ReadSequence();
            DateTimeOffset notBefore = ReadTime(validity);
            DateTimeOffset notAfter = ReadTime(validity);
            validity.ThrowIfNotEmpty();
            ReadOnlyMemory<byte> subject = tbsReader.ReadEncodedValue();
            ReadOnlyMemory<byte> spki = tbsReader.ReadEncodedValue();
            if (tbsReader.HasData && tbsReader.PeekTag().HasSameClassAndValue(IssuerUniqueId))
            {
                _ = tbsReader.ReadEncodedValue();
            }

            if (tbsReader.HasData && tbsReader.PeekTag().HasSameClassAndValue(SubjectUniqueId))
            {
                _ = tbsReader.ReadEncodedValue();
            }

            var extensions = new List<CertificateExtension>();
            if (tbsReader.HasData)
            {
                AsnReader explicitExtensions = tbsReader.ReadSequence(ExplicitExtensions);
                AsnReader sequence = explicitExtensions.ReadSequence();
                explicitExtensions.ThrowIfNotEmpty();
                while (sequence.HasData)
                {
                    ReadOnlyMemory<byte> encoded = sequence.ReadEncodedValue();
                    var extension = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
                    string oid = extension.ReadObjectIdentifier();
                    bool critical = false;
                    if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                    {
                        // X.690 section 11.5 says a DEFAULT value is not encoded, but an explicit FALSE is accepted, as
                        // Go's crypto/x509 (sigstore-go) and the platform loader accept it.
                        critical = extension.ReadBoolean();
                    }

                    if (!extension.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> value))
                    {
                        throw CoreErrors.CertificateMalformed.ToException($"extension {oid} has a constructed extnValue");
                    }

                    extension.ThrowIfNotEmpty();

                    // RFC 5280 section 4.2: "A certificate MUST NOT include more than one instance of a particular extension."
                    foreach (CertificateExtension seen in extensions)
                    {
                        if (seen.Oid == oid)
                        {
                            throw CoreErrors.CertificateMalformed.ToException($"extension {oid} appears twice");
                        }
                    }

                    extensions.Add(new CertificateExtension(oid, critical, value, encoded));
                }

                if (extensions.Count == 0)
                {
                    // RFC 5280 section 4.1: Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension.
                    throw CoreErrors.CertificateMalformed.ToException("the extensions field is an empty SEQUENCE");
                }
            }

            tbsReader.ThrowIfNotEmpty();
            return new CertificateDer
            {
                TbsCertificate = tbs,
                SerialNumber = serialNumber,
                SignatureAlgorithm = signatureAlgorithm,
                SignatureValue = signature,
                Issuer = issuer,
                Subject = subject,
                SubjectPublicKeyInfo = spki,
                NotBefore = notBefore,
                NotAfter = notAfter,
                Extensions = extensions,
            };
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.CertificateMalformed.ToException("not a DER X.509 certificate", ex);
        }
    }

    // RFC 5280 section 4.1.2.5: Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }.
    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
