using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// One SCT as RFC 6962 section 3.2 serializes it (TLS presentation language):
/// <code>
/// struct {
///     Version sct_version;                  // 1 byte, v1(0)
///     LogID id;                             // 32 bytes, SHA-256 of the log's public key
///     uint64 timestamp;                     // ms since the epoch
///     CtExtensions extensions;              // opaque&lt;0..2^16-1&gt;
///     digitally-signed struct { ... };      // RFC 5246 section 4.7: hash(1) signature(1) opaque&lt;0..2^16-1&gt;
/// } SignedCertificateTimestamp;
/// </code>
/// </summary>
internal sealed class SignedCertificateTimestamp
{
    /// <summary>RFC 5246 section 7.4.1.4.1 HashAlgorithm sha256(4).</summary>
    public const byte HashSha256 = 4;

    /// <summary>RFC 5246 section 7.4.1.4.1 HashAlgorithm sha384(5).</summary>
    public const byte HashSha384 = 5;

    /// <summary>RFC 5246 section 7.4.1.4.1 HashAlgorithm sha512(6).</summary>
    public const byte HashSha512 = 6;

    /// <summary>RFC 8422 section 5.1.3 HashAlgorithm intrinsic(8) (Ed25519).</summary>
    public const byte HashIntrinsic = 8;

    /// <summary>RFC 5246 section 7.4.1.4.1 SignatureAlgorithm rsa(1).</summary>
    public const byte SignatureRsa = 1;

    /// <summary>RFC 5246 section 7.4.1.4.1 SignatureAlgorithm ecdsa(3).</summary>
    public const byte SignatureEcdsa = 3;

    /// <summary>RFC 8422 section 5.1.3 SignatureAlgorithm ed25519(7).</summary>
    public const byte SignatureEd25519 = 7;

    private SignedCertificateTimestamp(byte version, byte[] logId, ulong timestamp, byte[] extensions, byte hashAlgorithm, byte signatureAlgorithm, byte[] signature)
    {
        Version = version;
        LogId = logId;
        Timestamp = timestamp;
        Extensions = extensions;
        HashAlgorithm = hashAlgorithm;
        SignatureAlgorithm = signatureAlgorithm;
        Signature = signature;
    }

    /// <summary>sct_version; v1 is 0.</summary>
    public byte Version { get; }

    /// <summary>The log ID (32 bytes).</summary>
    public byte[] LogId { get; }

    /// <summary>The timestamp, milliseconds since the epoch.</summary>
    public ulong Timestamp { get; }

    /// <summary>The CtExtensions bytes (may be empty).</summary>
    public byte[] Extensions { get; }

    /// <summary>TLS HashAlgorithm of the signature.</summary>
    public byte HashAlgorithm { get; }

    /// <summary>TLS SignatureAlgorithm of the signature.</summary>
    public byte SignatureAlgorithm { get; }

    /// <summary>The signature bytes (DER ECDSA-Sig-Value for ECDSA, raw for RSA and Ed25519).</summary>
    public byte[] Signature { get; }

    /// <summary>
    /// Reads the embedded SCT list extension value: a DER OCTET STRING wrapping the TLS
    /// <c>SignedCertificateTimestampList</c> (RFC 6962 section 3.3:
    /// <c>opaque SerializedSCT&lt;1..2^16-1&gt;; struct { SerializedSCT sct_list &lt;1..2^16-1&gt;; }</c>).
    /// </summary>
    /// <param name="extensionValue">The extnValue contents.</param>
    /// <param name="timestamps">The well-formed SCTs, in list order.</param>
    /// <param name="rejected">Why each SerializedSCT that is not a well-formed v1 SCT was set aside (each is
    /// length-delimited, so one bad SCT does not hide the others).</param>
    /// <param name="failure">What is malformed in the list itself.</param>
    /// <returns><see langword="true"/> when the list is well-formed.</returns>
    public static bool TryParseList(ReadOnlyMemory<byte> extensionValue, out List<SignedCertificateTimestamp> timestamps, out List<string> rejected, out string? failure)
    {
        timestamps = [];
        rejected = [];
        ReadOnlyMemory<byte> list;
        try
        {
            var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
            if (!reader.TryReadPrimitiveOctetString(out list))
            {
                failure = "the SCT list extension is not a primitive OCTET STRING";
                return false;
            }

            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException)
        {
            failure = "the SCT list extension is not a DER OCTET STRING";
            return false;
        }

        var tls = new TlsReader(list.Span);
        if (!tls.TryReadOpaque16(out ReadOnlySpan<byte> items) || !tls.IsEmpty)
        {
            failure = "the SignedCertificateTimestampList length does not match its content";
            return false;
        }

        if (items.IsEmpty)
        {
            failure = "the SignedCertificateTimestampList is empty (RFC 6962 section 3.3 requires at least one SCT)";
            return false;
        }

        var entries = new TlsReader(items);
        for (int index = 0; !entries.IsEmpty; index++)
        {
            if (index >= Limits.MaxEmbeddedScts)
            {
                failure = $"more than {Limits.MaxEmbeddedScts} SCTs";
                return false;
            }

            if (!entries.TryReadOpaque16(out ReadOnlySpan<byte> serialized) || serialized.IsEmpty)
            {
                failure = $"SCT {index}: the SerializedSCT length is invalid";
                return false;
            }

            if (TryParse(serialized, out SignedCertificateTimestamp? sct, out string? why))
            {
                timestamps.Add(sct);
            }
            else
            {
                rejected.Add($"SCT {index}: {why}");
            }
        }

        failure = null;
        return true;
    }

    /// <summary>Reads one serialized SCT; the whole input must be consumed.</summary>
    /// <param name="serialized">The SerializedSCT contents.</param>
    /// <param name="sct">The SCT.</param>
    /// <param name="failure">What is malformed.</param>
    /// <returns><see langword="true"/> when well-formed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> serialized, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SignedCertificateTimestamp? sct, out string? failure)
    {
        sct = null;
        var reader = new TlsReader(serialized);
        if (!reader.TryReadByte(out byte version))
        {
            failure = "truncated";
            return false;
        }

        if (version != PrecertificateTbs.SctVersionV1)
        {
            // RFC 6962 section 3.2: only v1 is defined; the rest of an unknown version cannot be interpreted.
            failure = $"unsupported SCT version {version}";
            return false;
        }

        if (!reader.TryReadBytes(32, out ReadOnlySpan<byte> logId)
            || !reader.TryReadUInt64(out ulong timestamp)
            || !reader.TryReadOpaque16(out ReadOnlySpan<byte> extensions)
            || !reader.TryReadByte(out byte hash)
            || !reader.TryReadByte(out byte signatureAlgorithm)
            || !reader.TryReadOpaque16(out ReadOnlySpan<byte> signature))
        {
            failure = "truncated";
            return false;
        }

        if (!reader.IsEmpty)
        {
            failure = "trailing bytes after the signature";
            return false;
        }

        if (signature.IsEmpty)
        {
            failure = "empty signature";
            return false;
        }

        sct = new SignedCertificateTimestamp(version, logId.ToArray(), timestamp, extensions.ToArray(), hash, signatureAlgorithm, signature.ToArray());
        failure = null;
        return true;
    }

    /// <summary>Serializes one v1 SCT (RFC 6962 section 3.2).</summary>
    /// <param name="logId">The 32-byte log ID.</param>
    /// <param name="timestamp">Milliseconds since the epoch.</param>
    /// <param name="extensions">CtExtensions bytes.</param>
    /// <param name="hashAlgorithm">TLS HashAlgorithm.</param>
    /// <param name="signatureAlgorithm">TLS SignatureAlgorithm.</param>
    /// <param name="signature">The signature over <see cref="PrecertificateTbs.BuildSignedData"/>.</param>
    /// <returns>The SerializedSCT contents.</returns>
    public static byte[] Encode(ReadOnlySpan<byte> logId, ulong timestamp, ReadOnlySpan<byte> extensions, byte hashAlgorithm, byte signatureAlgorithm, ReadOnlySpan<byte> signature)
    {
        if (logId.Length != 32 || extensions.Length > ushort.MaxValue || signature.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Invalid SCT field length.");
        }

        byte[] data = new byte[1 + 32 + 8 + 2 + extensions.Length + 2 + 2 + signature.Length];
        Span<byte> span = data;
        span[0] = PrecertificateTbs.SctVersionV1;
        logId.CopyTo(span[1..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[33..], timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(span[41..], (ushort)extensions.Length);
        extensions.CopyTo(span[43..]);
        int offset = 43 + extensions.Length;
        span[offset] = hashAlgorithm;
        span[offset + 1] = signatureAlgorithm;
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], (ushort)signature.Length);
        signature.CopyTo(span[(offset + 4)..]);
        return data;
    }

    /// <summary>Builds the embedded SCT list extension (non-critical) from serialized SCTs (RFC 6962 section 3.3).</summary>
    /// <param name="serializedScts">SCTs from <see cref="Encode"/>.</param>
    /// <returns>The X.509 extension.</returns>
    public static X509Extension EncodeListExtension(IEnumerable<byte[]> serializedScts)
    {
        ArgumentNullException.ThrowIfNull(serializedScts);
        using var list = new MemoryStream();
        foreach (byte[] sct in serializedScts)
        {
            list.WriteByte((byte)(sct.Length >> 8));
            list.WriteByte((byte)sct.Length);
            list.Write(sct);
        }

        byte[] items = list.ToArray();
        if (items.Length > ushort.MaxValue)
        {
            throw new ArgumentException("The SCT list exceeds 2^16-1 bytes.", nameof(serializedScts));
        }

        byte[] tls = new byte[2 + items.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tls, (ushort)items.Length);
        items.CopyTo(tls, 2);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(tls);
        return new X509Extension(CertificateProfile.SctListOid, writer.Encode(), critical: false);
    }

    /// <summary>A bounds-checked reader of TLS presentation-language fields: never reads past its input.</summary>
    private ref struct TlsReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool IsEmpty => _rest.IsEmpty;

        public bool TryReadByte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty)
            {
                return false;
            }

            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool TryReadUInt64(out ulong value)
        {
            value = 0;
            if (_rest.Length < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt64BigEndian(_rest);
            _rest = _rest[8..];
            return true;
        }

        public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (count < 0 || _rest.Length < count)
            {
                return false;
            }

            value = _rest[..count];
            _rest = _rest[count..];
            return true;
        }

        public bool TryReadOpaque16(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < 2)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return TryReadBytes(length, out value);
        }
    }
}
