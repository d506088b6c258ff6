using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SupplyChain.Instance.Ca;

/// <summary>RFC 6962 signed certificate timestamps for precertificates (sections 3.2 and 3.3), signed by the local CT log key.</summary>
internal static class SignedCertificateTimestamps
{
    /// <summary>
    /// The digitally-signed input (section 3.2): sct_version v1(0), signature_type certificate_timestamp(0),
    /// uint64 timestamp, LogEntryType precert_entry(1), PreCert { issuer_key_hash[32], opaque
    /// TBSCertificate&lt;1..2^24-1&gt; }, CtExtensions&lt;0..2^16-1&gt; (empty).
    /// </summary>
    public static byte[] SignedData(long timestampMs, ReadOnlySpan<byte> issuerSpki, ReadOnlySpan<byte> tbs)
    {
        byte[] buffer = new byte[2 + 8 + 2 + 32 + 3 + tbs.Length + 2];
        Span<byte> span = buffer;
        BinaryPrimitives.WriteInt64BigEndian(span[2..], timestampMs);
        span[11] = 1;
        SHA256.HashData(issuerSpki, span[12..44]);
        span[44] = (byte)(tbs.Length >> 16);
        span[45] = (byte)(tbs.Length >> 8);
        span[46] = (byte)tbs.Length;
        tbs.CopyTo(span[47..]);
        return buffer;
    }

    /// <summary>
    /// SignedCertificateTimestamp (section 3.2): version v1, LogID[32], timestamp, CtExtensions (empty),
    /// digitally-signed { hash sha256(4), signature ecdsa(3), opaque signature&lt;0..2^16-1&gt; }, wrapped in a
    /// SignedCertificateTimestampList (section 3.3) of one SerializedSCT.
    /// </summary>
    public static byte[] List(ReadOnlySpan<byte> logId, long timestampMs, ReadOnlySpan<byte> signature)
    {
        int sctLength = 1 + 32 + 8 + 2 + 4 + signature.Length;
        byte[] buffer = new byte[4 + sctLength];
        Span<byte> span = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)(sctLength + 2));
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)sctLength);
        Span<byte> sct = span[4..];
        logId.CopyTo(sct[1..]);
        BinaryPrimitives.WriteInt64BigEndian(sct[33..], timestampMs);
        sct[43] = 4;
        sct[44] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(sct[45..], (ushort)signature.Length);
        signature.CopyTo(sct[47..]);
        return buffer;
    }
}
