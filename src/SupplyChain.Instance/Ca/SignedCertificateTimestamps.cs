using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SupplyChain.Instance.Ca;

/// <summary>
/// RFC 6962 signed certificate timestamps for precertificates (sections 3.2 and 3.3): the bytes a CT log signs,
/// the serialized SCT and the SCT list a certificate embeds. For <see cref="ICtLogSigner"/> implementations.
/// </summary>
public static class SignedCertificateTimestamps
{
    private const int LogIdLength = 32;
    private const int MaxUint24 = (1 << 24) - 1;

    // RFC 6962 section 3.2 writes every variable-length field behind a fixed-size length (TLS presentation language,
    // RFC 5246 section 4.3): a longer one cannot be encoded, and truncating its length would emit a malformed SCT.
    private static void CheckLength(int length, int min, int max, string name)
    {
        if (length < min || length > max)
        {
            throw new ArgumentOutOfRangeException(name, length, $"{name} must be {min} to {max} bytes long");
        }
    }

    /// <summary>
    /// The digitally-signed input (section 3.2): sct_version v1(0), signature_type certificate_timestamp(0),
    /// uint64 timestamp, LogEntryType precert_entry(1), PreCert { issuer_key_hash[32], opaque
    /// TBSCertificate&lt;1..2^24-1&gt; }, CtExtensions&lt;0..2^16-1&gt;.
    /// </summary>
    /// <param name="timestampMs">Milliseconds since the Unix epoch.</param>
    /// <param name="issuerSpki">The issuer's DER SubjectPublicKeyInfo (hashed into issuer_key_hash).</param>
    /// <param name="tbs">The precertificate TBSCertificate.</param>
    /// <param name="extensions">The CtExtensions (empty for v1 logs).</param>
    /// <exception cref="ArgumentOutOfRangeException">A field is longer than its TLS length prefix can say.</exception>
    public static byte[] SignedData(long timestampMs, ReadOnlySpan<byte> issuerSpki, ReadOnlySpan<byte> tbs, ReadOnlySpan<byte> extensions)
    {
        CheckLength(tbs.Length, 1, MaxUint24, nameof(tbs));
        CheckLength(extensions.Length, 0, ushort.MaxValue, nameof(extensions));
        byte[] buffer = new byte[2 + 8 + 2 + 32 + 3 + tbs.Length + 2 + extensions.Length];
        Span<byte> span = buffer;
        BinaryPrimitives.WriteInt64BigEndian(span[2..], timestampMs);
        span[11] = 1;
        SHA256.HashData(issuerSpki, span[12..44]);
        span[44] = (byte)(tbs.Length >> 16);
        span[45] = (byte)(tbs.Length >> 8);
        span[46] = (byte)tbs.Length;
        tbs.CopyTo(span[47..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[(47 + tbs.Length)..], (ushort)extensions.Length);
        extensions.CopyTo(span[(49 + tbs.Length)..]);
        return buffer;
    }

    /// <summary>
    /// SignedCertificateTimestamp (section 3.2): version v1, LogID[32], timestamp, CtExtensions, digitally-signed
    /// { hash sha256(4), signature ecdsa(3), opaque signature&lt;0..2^16-1&gt; }.
    /// </summary>
    /// <param name="logId">The 32-byte log ID.</param>
    /// <param name="timestampMs">Milliseconds since the Unix epoch.</param>
    /// <param name="extensions">The CtExtensions.</param>
    /// <param name="signature">The ECDSA signature over <see cref="SignedData"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The log ID is not 32 bytes, or a field is longer than its TLS length prefix can say.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> logId, long timestampMs, ReadOnlySpan<byte> extensions, ReadOnlySpan<byte> signature)
    {
        CheckLength(logId.Length, LogIdLength, LogIdLength, nameof(logId));
        CheckLength(extensions.Length, 0, ushort.MaxValue, nameof(extensions));
        CheckLength(signature.Length, 0, ushort.MaxValue, nameof(signature));
        byte[] buffer = new byte[1 + 32 + 8 + 2 + extensions.Length + 4 + signature.Length];
        Span<byte> sct = buffer;
        logId.CopyTo(sct[1..33]);
        BinaryPrimitives.WriteInt64BigEndian(sct[33..], timestampMs);
        BinaryPrimitives.WriteUInt16BigEndian(sct[41..], (ushort)extensions.Length);
        extensions.CopyTo(sct[43..]);
        Span<byte> signed = sct[(43 + extensions.Length)..];
        signed[0] = 4;
        signed[1] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(signed[2..], (ushort)signature.Length);
        signature.CopyTo(signed[4..]);
        return buffer;
    }

    /// <summary>SignedCertificateTimestampList (section 3.3) of one SerializedSCT: sct_list&lt;1..2^16-1&gt; of SerializedSCT&lt;1..2^16-1&gt;.</summary>
    /// <param name="sct">One serialized SCT (<see cref="Encode"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The SCT is empty or too long for the list's 16-bit length.</exception>
    public static byte[] List(ReadOnlySpan<byte> sct)
    {
        CheckLength(sct.Length, 1, ushort.MaxValue - 2, nameof(sct));
        byte[] buffer = new byte[4 + sct.Length];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)(sct.Length + 2));
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)sct.Length);
        sct.CopyTo(buffer.AsSpan(4));
        return buffer;
    }
}
