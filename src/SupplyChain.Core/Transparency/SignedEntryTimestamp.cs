using System.Buffers;
using System.Buffers.Text;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Transparency;

/// <summary>
/// Rekor v1's inclusion promise (signed entry timestamp, SET): the log's signature over the canonical
/// JSON <c>{"body":B64,"integratedTime":N,"logID":HEX,"logIndex":N}</c> (RFC 8785 canonical form: keys
/// sorted, no whitespace), as Rekor's <c>VerifySET</c> rebuilds it.
/// </summary>
internal static class SignedEntryTimestamp
{
    /// <summary>
    /// <see langword="true"/> when the entry carries a SET. The bundle parser rejects an explicitly empty
    /// SET, so an empty value can only stand for an absent one (a <c>byte[]?</c> null converts to an
    /// empty, non-null <see cref="ReadOnlyMemory{T}"/>).
    /// </summary>
    public static bool IsPresent(TransparencyLogEntry entry) => entry.SignedEntryTimestamp is { IsEmpty: false };

    /// <summary>Verifies the entry's SET against <paramref name="log"/>'s key, or throws SC1211.</summary>
    /// <returns>The integrated time the SET signs.</returns>
    public static DateTimeOffset Verify(TransparencyLogEntry entry, TransparencyLogInstance log)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(log);
        if (entry.SignedEntryTimestamp is not { IsEmpty: false } set)
        {
            throw CoreErrors.SignedEntryTimestampInvalid.ToException("the entry has no SET");
        }

        if (entry.IntegratedTime <= 0 || entry.LogIndex < 0)
        {
            throw CoreErrors.SignedEntryTimestampInvalid.ToException("a SET needs a positive integrated time and a log index");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(PayloadLength(entry));
        try
        {
            int length = WritePayload(entry, buffer);
            if (!log.PublicKey.VerifyData(buffer.AsSpan(0, length), set.Span))
            {
                throw CoreErrors.SignedEntryTimestampInvalid.ToException("the signature does not verify with the log key");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime);
    }

    /// <summary>Writes the signed payload; exposed for tests that sign SETs.</summary>
    internal static byte[] Payload(TransparencyLogEntry entry)
    {
        byte[] buffer = new byte[PayloadLength(entry)];
        int length = WritePayload(entry, buffer);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static int PayloadLength(TransparencyLogEntry entry)
        => 96 + Base64.GetMaxEncodedToUtf8Length(entry.CanonicalizedBody.Length) + (2 * entry.LogId.Length);

    private static int WritePayload(TransparencyLogEntry entry, Span<byte> destination)
    {
        int at = 0;
        Append(destination, ref at, "{\"body\":\""u8);
        OperationStatus status = Base64.EncodeToUtf8(entry.CanonicalizedBody.Span, destination[at..], out _, out int written);
        if (status != OperationStatus.Done)
        {
            throw new InvalidOperationException("The SET payload buffer is too small.");
        }

        at += written;
        Append(destination, ref at, "\",\"integratedTime\":"u8);
        AppendNumber(destination, ref at, entry.IntegratedTime);
        Append(destination, ref at, ",\"logID\":\""u8);
        ReadOnlySpan<byte> hexDigits = "0123456789abcdef"u8;
        foreach (byte b in entry.LogId.Span)
        {
            destination[at++] = hexDigits[b >> 4];
            destination[at++] = hexDigits[b & 0xF];
        }

        Append(destination, ref at, "\",\"logIndex\":"u8);
        AppendNumber(destination, ref at, entry.LogIndex);
        destination[at++] = (byte)'}';
        return at;
    }

    private static void Append(Span<byte> destination, ref int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(destination[at..]);
        at += text.Length;
    }

    private static void AppendNumber(Span<byte> destination, ref int at, long value)
    {
        if (!Utf8Formatter.TryFormat(value, destination[at..], out int written))
        {
            throw new InvalidOperationException("The SET payload buffer is too small.");
        }

        at += written;
    }
}
