namespace SupplyChain.Http;

/// <summary>What <see cref="BoundedContent.ReadAsync"/> read.</summary>
/// <param name="Bytes">The bytes read (at most the limit).</param>
/// <param name="Exceeded">Whether the content was longer than the limit (declared or sent); the rest was not read.</param>
public readonly record struct BoundedRead(byte[] Bytes, bool Exceeded);

/// <summary>
/// The one bounded read of an HTTP body: a declared Content-Length over the limit is refused before reading, and the
/// read itself stops at the limit, whatever the sender claimed. Used for every response this layer reads, and for
/// request bodies a server reads.
/// </summary>
public static class BoundedContent
{
    /// <summary>Reads at most <paramref name="maxBytes"/> of <paramref name="content"/>.</summary>
    /// <param name="content">The body.</param>
    /// <param name="maxBytes">The limit (0 reads nothing).</param>
    /// <param name="expectedBytes">
    /// The exact length expected (a descriptor's size), else Content-Length: within the limit, the body is read into one
    /// buffer of that size and a byte beyond it is <see cref="BoundedRead.Exceeded"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the read (give it a deadline: a sender can trickle).</param>
    /// <returns>The bytes, and whether there was more.</returns>
    public static async Task<BoundedRead> ReadAsync(HttpContent content, long maxBytes, long? expectedBytes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, (long)Array.MaxLength);
        long? declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            return new BoundedRead([], true);
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            long? expected = expectedBytes ?? declared;
            return expected is { } size && size >= 0 && size <= maxBytes
                ? await ReadExactAsync(stream, (int)size, cancellationToken).ConfigureAwait(false)
                : await ReadGrowingAsync(stream, (int)maxBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Up to <paramref name="size"/> bytes into one buffer (shorter when the body ends early), then one probe byte.</summary>
    private static async Task<BoundedRead> ReadExactAsync(Stream stream, int size, CancellationToken cancellationToken)
    {
        byte[] buffer = size == 0 ? [] : GC.AllocateUninitializedArray<byte>(size);
        int filled = await stream.ReadAtLeastAsync(buffer, size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (filled < size)
        {
            return new BoundedRead(buffer[..filled], false);
        }

        byte[] probe = new byte[1];
        bool more = await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0;
        return new BoundedRead(buffer, more);
    }

    private static async Task<BoundedRead> ReadGrowingAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[Math.Min(Limits.ReadChunkBytes, maxBytes + 1)];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                buffer.Write(chunk, 0, maxBytes - (int)buffer.Length);
                return new BoundedRead(buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, read);
        }

        return new BoundedRead(buffer.ToArray(), false);
    }
}
