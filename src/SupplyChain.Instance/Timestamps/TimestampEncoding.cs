using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Instance.Timestamps;

/// <summary>
/// The DER pieces of an RFC 3161 answer that <see cref="LocalTimestampAuthority"/> writes around the CMS signature: the
/// ESS signing-certificate-v2 signed attribute (RFC 5816, RFC 5035) and the granted TimeStampResp (RFC 3161 section
/// 2.4.2). Public for encoders that mint tokens the instance would not issue (a test kit's tampered tokens).
/// </summary>
public static class TimestampEncoding
{
    /// <summary>id-aa-signingCertificateV2 (RFC 5035 section 3).</summary>
    public const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";

    /// <summary>
    /// The signed attribute that binds <paramref name="signer"/> to a token (RFC 5816: "the ESSCertIDv2 ... MUST be
    /// present"). RFC 5035 section 3: SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, ... };
    /// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash Hash, issuerSerial IssuerSerial OPTIONAL };
    /// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }. SHA-256, with issuerSerial.
    /// </summary>
    /// <param name="signer">The TSA signing certificate.</param>
    public static AsnEncodedData SigningCertificateV2(X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteOctetString(SHA256.HashData(signer.RawData));
                    using (writer.PushSequence())
                    {
                        using (writer.PushSequence())
                        {
                            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                            {
                                writer.WriteEncodedValue(signer.IssuerName.RawData);
                            }
                        }

                        writer.WriteInteger(signer.SerialNumberBytes.Span);
                    }
                }
            }
        }

        return new AsnEncodedData(new Oid(SigningCertificateV2Oid), writer.Encode());
    }

    /// <summary>
    /// A granted TimeStampResp around <paramref name="token"/> (RFC 3161 section 2.4.2: TimeStampResp ::= SEQUENCE {
    /// status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }; PKIStatus granted (0), no statusString or failInfo).
    /// </summary>
    /// <param name="token">The DER TimeStampToken (a CMS ContentInfo).</param>
    public static byte[] GrantedResponse(ReadOnlySpan<byte> token)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(0); // granted
            }

            writer.WriteEncodedValue(token);
        }

        return writer.Encode();
    }
}
