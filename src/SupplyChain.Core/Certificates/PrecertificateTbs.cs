using System.Buffers.Binary;
using System.Formats.Asn1;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// The data a CT log signs for an embedded SCT (RFC 6962 sections 3.2 and 3.3). Shared by <see cref="SctVerifier"/>
/// and by test CAs that issue certificates with SCTs: build the leaf's TBS without the SCT list, sign
/// <see cref="BuildSignedData"/> with the log key, then embed <see cref="SignedCertificateTimestamp.EncodeListExtension"/>.
/// </summary>
internal static class PrecertificateTbs
{
    /// <summary>RFC 6962 section 3.2: Version v1(0).</summary>
    public const byte SctVersionV1 = 0;

    /// <summary>RFC 6962 section 3.2: SignatureType certificate_timestamp(0).</summary>
    public const byte CertificateTimestampSignatureType = 0;

    /// <summary>RFC 6962 section 3.1: LogEntryType precert_entry(1).</summary>
    public const ushort PrecertEntryType = 1;

    private const int MaxTbsLength = (1 << 24) - 1;

    /// <summary>
    /// Re-encodes a DER <c>TBSCertificate</c> without the embedded SCT list (1.3.6.1.4.1.11129.2.4.2) and the
    /// precertificate poison (1.3.6.1.4.1.11129.2.4.3). RFC 6962 section 3.3: the log signed the precertificate's
    /// TBSCertificate "without the poison extension"; the final certificate differs from it only by the SCT list
    /// extension, so removing that list from the final TBS gives back what was signed. Every other field and extension
    /// is copied unchanged and in order; only the enclosing lengths change. The extensions field is omitted when
    /// nothing remains in it (Extensions is SIZE (1..MAX), RFC 5280 section 4.1).
    /// </summary>
    /// <param name="tbsCertificate">A DER TBSCertificate.</param>
    /// <returns>The precertificate TBSCertificate.</returns>
    /// <exception cref="MalformedInputException">SC1307 when <paramref name="tbsCertificate"/> is not a DER TBSCertificate.</exception>
    public static byte[] FromTbsCertificate(ReadOnlyMemory<byte> tbsCertificate)
    {
        var explicitExtensions = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        try
        {
            var outer = new AsnReader(tbsCertificate, AsnEncodingRules.DER);
            AsnReader tbs = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                while (tbs.HasData)
                {
                    if (!tbs.PeekTag().HasSameClassAndValue(explicitExtensions))
                    {
                        writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                        continue;
                    }

                    AsnReader wrapper = tbs.ReadSequence(explicitExtensions);
                    AsnReader extensions = wrapper.ReadSequence();
                    wrapper.ThrowIfNotEmpty();
                    var kept = new List<ReadOnlyMemory<byte>>();
                    while (extensions.HasData)
                    {
                        ReadOnlyMemory<byte> encoded = extensions.ReadEncodedValue();
                        string oid = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier();
                        if (oid is not CertificateProfile.SctListOid and not CertificateProfile.PrecertificatePoisonOid)
                        {
                            kept.Add(encoded);
                        }
                    }

                    if (kept.Count > 0)
                    {
                        using (writer.PushSequence(explicitExtensions))
                        using (writer.PushSequence())
                        {
                            foreach (ReadOnlyMemory<byte> extension in kept)
                            {
                                writer.WriteEncodedValue(extension.Span);
                            }
                        }
                    }
                }
            }

            return writer.Encode();
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.CertificateMalformed.ToException("the TBSCertificate is not valid DER", ex);
        }
    }

    /// <summary>
    /// Builds the <c>digitally-signed</c> struct of a v1 SCT over a precertificate (RFC 6962 section 3.2):
    /// <c>sct_version(1) || signature_type(1) = certificate_timestamp || timestamp(8) || entry_type(2) = precert_entry
    /// || issuer_key_hash(32) || opaque tbs_certificate&lt;1..2^24-1&gt; || opaque extensions&lt;0..2^16-1&gt;</c>.
    /// The SCT's extensions are part of the signed data (Static CT logs put the leaf index there).
    /// </summary>
    /// <param name="timestamp">The SCT timestamp, milliseconds since the epoch.</param>
    /// <param name="issuerKeyHash">SHA-256 of the issuer's DER SubjectPublicKeyInfo (32 bytes).</param>
    /// <param name="precertificateTbs">The precertificate TBSCertificate (<see cref="FromTbsCertificate"/>).</param>
    /// <param name="extensions">The SCT's CtExtensions bytes (may be empty).</param>
    /// <returns>The bytes the log signs.</returns>
    public static byte[] BuildSignedData(ulong timestamp, ReadOnlySpan<byte> issuerKeyHash, ReadOnlySpan<byte> precertificateTbs, ReadOnlySpan<byte> extensions)
    {
        if (issuerKeyHash.Length != 32)
        {
            throw new ArgumentException("The issuer key hash is a 32-byte SHA-256.", nameof(issuerKeyHash));
        }

        if (precertificateTbs.Length is 0 or > MaxTbsLength)
        {
            throw new ArgumentException("The TBSCertificate must be 1 to 2^24-1 bytes.", nameof(precertificateTbs));
        }

        if (extensions.Length > ushort.MaxValue)
        {
            throw new ArgumentException("SCT extensions are at most 2^16-1 bytes.", nameof(extensions));
        }

        byte[] data = new byte[1 + 1 + 8 + 2 + 32 + 3 + precertificateTbs.Length + 2 + extensions.Length];
        Span<byte> span = data;
        span[0] = SctVersionV1;
        span[1] = CertificateTimestampSignatureType;
        BinaryPrimitives.WriteUInt64BigEndian(span[2..], timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], PrecertEntryType);
        issuerKeyHash.CopyTo(span[12..]);
        int offset = 44;
        span[offset] = (byte)(precertificateTbs.Length >> 16);
        span[offset + 1] = (byte)(precertificateTbs.Length >> 8);
        span[offset + 2] = (byte)precertificateTbs.Length;
        offset += 3;
        precertificateTbs.CopyTo(span[offset..]);
        offset += precertificateTbs.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)extensions.Length);
        extensions.CopyTo(span[(offset + 2)..]);
        return data;
    }
}
