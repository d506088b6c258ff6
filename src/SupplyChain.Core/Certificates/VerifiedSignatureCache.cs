using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// A bounded, thread-safe memo of signature checks that succeeded. A signature's validity is a pure function of the
/// signed bytes, the signature and the key, so a success can be remembered under the SHA-256 of the whole signed
/// object (a certificate's DER covers both its TBS and its signature) and the key's identity. Only successes are kept;
/// every time-dependent check (validity periods, validFor windows) is still made on each call. The admission webhook
/// sees the same few Fulcio leaves over and over; an ECDSA P-384 verification costs far more than the SHA-256.
/// </summary>
internal sealed class VerifiedSignatureCache
{
    private readonly ConcurrentDictionary<Key, byte> _verified = new();
    private readonly int _capacity;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> entries (cleared when full).</summary>
    /// <param name="capacity">The bound.</param>
    public VerifiedSignatureCache(int capacity) => _capacity = capacity;

    /// <summary>Digests the signed object (for example a certificate's DER).</summary>
    /// <param name="signedObject">The bytes.</param>
    /// <returns>The digest to pass to <see cref="Contains"/> and <see cref="Add"/>.</returns>
    public static Digest DigestOf(ReadOnlySpan<byte> signedObject)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(signedObject, hash);
        return new Digest(
            BinaryPrimitives.ReadUInt64LittleEndian(hash),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
    }

    /// <summary><see langword="true"/> when the object with <paramref name="digest"/> was verified with key <paramref name="keyIndex"/>.</summary>
    /// <param name="digest">The object's digest.</param>
    /// <param name="keyIndex">Which key (an index the owner assigns to each of its keys).</param>
    public bool Contains(Digest digest, int keyIndex) => _verified.ContainsKey(new Key(digest, keyIndex));

    /// <summary>Remembers a successful verification.</summary>
    /// <param name="digest">The object's digest.</param>
    /// <param name="keyIndex">Which key verified it.</param>
    public void Add(Digest digest, int keyIndex)
    {
        if (_verified.Count >= _capacity)
        {
            _verified.Clear();
        }

        _verified.TryAdd(new Key(digest, keyIndex), 0);
    }

    /// <summary>A SHA-256 digest as four words.</summary>
    internal readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);

    private readonly record struct Key(Digest Digest, int KeyIndex);
}
