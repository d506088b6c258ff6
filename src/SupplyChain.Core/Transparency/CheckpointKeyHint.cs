using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Transparency;

/// <summary>
/// The 4-byte key hint with which a log signs its checkpoints, computed once per trusted log.
/// </summary>
internal static class CheckpointKeyHint
{
    private static readonly ConditionalWeakTable<TransparencyLogInstance, StrongBox<uint>> Cache = [];

    /// <summary>
    /// The key hint of <paramref name="log"/>'s checkpoint signatures:
    /// the trusted root's <c>checkpointKeyId</c> when given; for Ed25519 the C2SP signed-note key ID
    /// ("the first four bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)");
    /// otherwise, as Rekor v1 signs, the first four bytes of the log ID (SHA-256 of the DER public key).
    /// </summary>
    public static uint For(TransparencyLogInstance log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Cache.GetValue(log, static l => new StrongBox<uint>(Compute(l))).Value;
    }

    /// <summary>The C2SP signed-note key ID of an Ed25519 key with the given name (signed-note "Ed25519" key type 0x01).</summary>
    public static uint Ed25519KeyId(string name, ReadOnlySpan<byte> rawKey)
    {
        int nameBytes = System.Text.Encoding.UTF8.GetByteCount(name);
        byte[] buffer = new byte[nameBytes + 2 + rawKey.Length];
        System.Text.Encoding.UTF8.GetBytes(name, buffer);
        buffer[nameBytes] = 0x0A;
        buffer[nameBytes + 1] = 0x01;
        rawKey.CopyTo(buffer.AsSpan(nameBytes + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(buffer));
    }

    /// <summary>The key hint of <paramref name="log"/>'s checkpoint signatures under the key name <paramref name="name"/>.</summary>
    public static uint For(TransparencyLogInstance log, string name)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(name);
        return string.Equals(name, log.OriginHostname, StringComparison.Ordinal) ? For(log) : Compute(log, name);
    }

    private static uint Compute(TransparencyLogInstance log) => Compute(log, log.OriginHostname);

    private static uint Compute(TransparencyLogInstance log, string name)
    {
        if (log.CheckpointKeyId is { Length: >= 4 } checkpointKeyId)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(checkpointKeyId.Span);
        }

        if (log.PublicKey.Algorithm == KeyAlgorithm.Ed25519)
        {
            // An Ed25519 SubjectPublicKeyInfo ends with the 32-byte raw key (RFC 8410 section 4).
            ReadOnlySpan<byte> spki = log.PublicKey.SubjectPublicKeyInfo.Span;
            return Ed25519KeyId(name, spki[^32..]);
        }

        return log.LogId.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(log.LogId.Span) : 0;
    }
}
