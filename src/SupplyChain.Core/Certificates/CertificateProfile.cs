using System.Formats.Asn1;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// The RFC 5280 extensions that decide what a certificate may do: basic constraints, key usage, extended key
/// usage and the key identifiers. Decoded from a <see cref="CertificateDer"/>; throws SC1307 when one is malformed.
/// </summary>
internal sealed class CertificateProfile
{
    /// <summary>id-ce-subjectKeyIdentifier.</summary>
    public const string SubjectKeyIdentifierOid = "2.5.29.14";

    /// <summary>id-ce-keyUsage.</summary>
    public const string KeyUsageOid = "2.5.29.15";

    /// <summary>id-ce-subjectAltName.</summary>
    public const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>id-ce-basicConstraints.</summary>
    public const string BasicConstraintsOid = "2.5.29.19";

    /// <summary>id-ce-authorityKeyIdentifier.</summary>
    public const string AuthorityKeyIdentifierOid = "2.5.29.35";

    /// <summary>id-ce-extKeyUsage.</summary>
    public const string ExtendedKeyUsageOid = "2.5.29.37";

    /// <summary>id-kp-codeSigning (RFC 5280 section 4.2.1.12).</summary>
    public const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>RFC 6962 section 3.3: the embedded SignedCertificateTimestampList extension.</summary>
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    /// <summary>RFC 6962 section 3.1: the precertificate poison extension.</summary>
    public const string PrecertificatePoisonOid = "1.3.6.1.4.1.11129.2.4.3";

    private static readonly Asn1Tag KeyIdentifierTag = new(TagClass.ContextSpecific, 0);

    // Extensions whose semantics this verifier understands or which do not restrict the path.
    // RFC 5280 section 4.2: "A certificate-using system MUST reject the certificate if it encounters a critical
    // extension it does not recognize".
    private static readonly HashSet<string> Recognized =
    [
        SubjectKeyIdentifierOid, KeyUsageOid, SubjectAltNameOid, BasicConstraintsOid, AuthorityKeyIdentifierOid, ExtendedKeyUsageOid, SctListOid,
    ];

    private CertificateProfile()
    {
    }

    /// <summary><see langword="true"/> when basicConstraints is present with cA TRUE.</summary>
    public bool IsCertificateAuthority { get; private init; }

    /// <summary>basicConstraints pathLenConstraint, when present.</summary>
    public int? PathLengthConstraint { get; private init; }

    /// <summary><see langword="true"/> when keyUsage is present.</summary>
    public bool HasKeyUsage { get; private init; }

    /// <summary>keyUsage digitalSignature (bit 0).</summary>
    public bool DigitalSignature { get; private init; }

    /// <summary>keyUsage keyCertSign (bit 5).</summary>
    public bool KeyCertSign { get; private init; }

    /// <summary>The extendedKeyUsage purposes; <see langword="null"/> when the extension is absent.</summary>
    public IReadOnlyList<string>? ExtendedKeyUsages { get; private init; }

    /// <summary>The subjectKeyIdentifier, when present.</summary>
    public ReadOnlyMemory<byte>? SubjectKeyIdentifier { get; private init; }

    /// <summary>The authorityKeyIdentifier keyIdentifier, when present.</summary>
    public ReadOnlyMemory<byte>? AuthorityKeyIdentifier { get; private init; }

    /// <summary>The OID of the first critical extension this verifier does not recognize, if any.</summary>
    public string? UnrecognizedCriticalExtension { get; private init; }

    /// <summary>Decodes the profile extensions of <paramref name="certificate"/>.</summary>
    /// <param name="certificate">The parsed certificate.</param>
    /// <exception cref="MalformedInputException">SC1307 when one of them is malformed.</exception>
    public static CertificateProfile From(CertificateDer certificate)
    {
        bool isCa = false;
        int? pathLen = null;
        bool hasKeyUsage = false;
        bool digitalSignature = false;
        bool keyCertSign = false;
        List<string>? ekus = null;
        ReadOnlyMemory<byte>? ski = null;
        ReadOnlyMemory<byte>? aki = null;
        string? unrecognized = null;

        foreach (CertificateExtension extension in certificate.Extensions)
        {
            try
            {
                var reader = new AsnReader(extension.Value, AsnEncodingRules.DER);
                switch (extension.Oid)
                {
                    case BasicConstraintsOid:
                    {
                        // RFC 5280 section 4.2.1.9: BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
                        AsnReader seq = reader.ReadSequence();
                        if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                        {
                            isCa = seq.ReadBoolean();
                        }

                        if (seq.HasData)
                        {
                            if (!seq.TryReadInt32(out int value) || value < 0)
                            {
                                throw CoreErrors.CertificateMalformed.ToException("basicConstraints pathLenConstraint is out of range");
                            }

                            pathLen = value;
                        }

                        seq.ThrowIfNotEmpty();
                        break;
                    }

                    case KeyUsageOid:
                    {
                        // RFC 5280 section 4.2.1.3: KeyUsage ::= BIT STRING { digitalSignature (0), ..., keyCertSign (5), ... }
                        byte[] bits = reader.ReadBitString(out _);
                        hasKeyUsage = true;
                        digitalSignature = bits.Length > 0 && (bits[0] & 0x80) != 0;
                        keyCertSign = bits.Length > 0 && (bits[0] & 0x04) != 0;
                        break;
                    }

                    case ExtendedKeyUsageOid:
                    {
                        // RFC 5280 section 4.2.1.12: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
                        AsnReader seq = reader.ReadSequence();
                        ekus = [];
                        while (seq.HasData)
                        {
                            ekus.Add(seq.ReadObjectIdentifier());
                        }

                        if (ekus.Count == 0)
                        {
                            throw CoreErrors.CertificateMalformed.ToException("extendedKeyUsage is empty");
                        }

                        break;
                    }

                    case SubjectKeyIdentifierOid:
                        // RFC 5280 section 4.2.1.2: SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING)
                        ski = reader.ReadOctetString();
                        break;

                    case AuthorityKeyIdentifierOid:
                    {
                        // RFC 5280 section 4.2.1.1: AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL, ... }
                        AsnReader seq = reader.ReadSequence();
                        if (seq.HasData && seq.PeekTag().HasSameClassAndValue(KeyIdentifierTag))
                        {
                            aki = seq.ReadOctetString(KeyIdentifierTag);
                        }

                        // authorityCertIssuer and authorityCertSerialNumber are not used for path building here.
                        break;
                    }

                    default:
                        if (extension.Critical && !Recognized.Contains(extension.Oid))
                        {
                            unrecognized ??= extension.Oid;
                        }

                        continue;
                }

                reader.ThrowIfNotEmpty();
            }
            catch (AsnContentException ex)
            {
                throw CoreErrors.CertificateMalformed.ToException($"extension {extension.Oid} is not valid DER", ex);
            }
        }

        return new CertificateProfile
        {
            IsCertificateAuthority = isCa,
            PathLengthConstraint = pathLen,
            HasKeyUsage = hasKeyUsage,
            DigitalSignature = digitalSignature,
            KeyCertSign = keyCertSign,
            ExtendedKeyUsages = ekus,
            SubjectKeyIdentifier = ski,
            AuthorityKeyIdentifier = aki,
            UnrecognizedCriticalExtension = unrecognized,
        };
    }
}
