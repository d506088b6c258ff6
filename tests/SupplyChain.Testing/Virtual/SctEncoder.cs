using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SupplyChain.Testing.Virtual;

/// <summary>Builds RFC 6962 signed certificate timestamps for precertificates (sections 3.2 and 3.3).</summary>
internal static class SctEncoder
{
    /// <summary>
    /// The digitally-signed input (section 3.2): sct_version v1(0), signature_type
    /// certificate_timestamp(0), uint64 timestamp, LogEntryType precert_entry(1), PreCert
    /// { issuer_key_hash[32], opaque TBSCertificate&lt;1..2^24-1&gt; }, CtExtensions&lt;0..2^16-1&gt;.
    /// </summary>
    public static byte[] SignedData(long timestampMs, ReadOnlySpan<byte> issuerSpki, ReadOnlySpan<byte> tbs, ReadOnlySpan<byte> extensions)
    {
        var buffer = new List<byte>(64 + tbs.Length + extensions.Length) { 0, 0 };
        AddUInt64(buffer, timestampMs);
        buffer.AddRange([0, 1]);
        buffer.AddRange(SHA256.HashData(issuerSpki));
        buffer.AddRange([(byte)(tbs.Length >> 16), (byte)(tbs.Length >> 8), (byte)tbs.Length]);
        buffer.AddRange(tbs);
        buffer.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
        buffer.AddRange(extensions);
        return [.. buffer];
    }

    /// <summary>
    /// SignedCertificateTimestamp (section 3.2): version, LogID[32], timestamp, CtExtensions,
    /// digitally-signed { hash sha256(4), signature ecdsa(3), opaque signature&lt;0..2^16-1&gt; }.
    /// </summary>
    public static byte[] Sct(ReadOnlySpan<byte> logId, long timestampMs, ReadOnlySpan<byte> extensions, ReadOnlySpan<byte> signature)
    {
        var buffer = new List<byte> { 0 };
        buffer.AddRange(logId);
        AddUInt64(buffer, timestampMs);
        buffer.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
        buffer.AddRange(extensions);
        buffer.AddRange([4, 3, (byte)(signature.Length >> 8), (byte)signature.Length]);
        buffer.AddRange(signature);
        return [.. buffer];
    }

    /// <summary>SignedCertificateTimestampList (section 3.3): SerializedSCT sct_list&lt;1..2^16-1&gt;, each SerializedSCT&lt;1..2^16-1&gt;.</summary>
    public static byte[] List(ReadOnlySpan<byte> sct)
    {
        int inner = sct.Length + 2;
        var buffer = new List<byte>(inner + 2)
        {
            (byte)(inner >> 8), (byte)inner, (byte)(sct.Length >> 8), (byte)sct.Length,
        };
        buffer.AddRange(sct);
        return [.. buffer];
    }

    private static void AddUInt64(List<byte> buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.AddRange(bytes);
    }
}
