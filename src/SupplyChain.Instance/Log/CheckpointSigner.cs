using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SupplyChain.Instance.Log;

/// <summary>
/// The Ed25519 key that signs a log's checkpoints as C2SP signed notes, under a key name that is also
/// the log's origin. Thread-safe.
/// </summary>
/// <remarks>
/// A <c>trusted_root.json</c> <c>tlogs</c> entry that our verifier (and sigstore-go/-js for Rekor v2)
/// accepts for this log: <c>baseUrl</c> = <c>"https://" + Name</c> (the checkpoint check takes the base URL
/// without its scheme and trailing slash as origin and key name, so <see cref="Name"/> must equal it exactly),
/// <c>hashAlgorithm</c> SHA2_256, <c>publicKey.rawBytes</c> = <see cref="PublicKeySpki"/> with
/// <c>keyDetails</c> PKIX_ED25519, <c>logId.keyId</c> = <see cref="LogId"/> (Rekor v2 derives the log ID from
/// the signed-note key: SHA-256(name || 0x0A || 0x01 || key)); optionally <c>checkpointKeyId.keyId</c> =
/// the first four bytes of <see cref="LogId"/> (equal to <see cref="KeyId"/>).
/// </remarks>
public sealed class CheckpointSigner
{
    /// <summary>C2SP signed-note key type of Ed25519 keys.</summary>
    internal const byte Ed25519KeyType = 0x01;

    private readonly Ed25519PrivateKeyParameters _privateKey;
    private readonly byte[] _publicKey;
    private readonly byte[] _publicKeySpki;
    private readonly byte[] _logId;

    private CheckpointSigner(string name, Ed25519PrivateKeyParameters privateKey)
    {
        ValidateName(name);
        Name = name;
        _privateKey = privateKey;
        _publicKey = privateKey.GeneratePublicKey().GetEncoded();
        _publicKeySpki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(privateKey.GeneratePublicKey()).GetDerEncoded();
        _logId = ComputeLogId(name, _publicKey);
        KeyId = BinaryPrimitives.ReadUInt32BigEndian(_logId);
    }

    /// <summary>The key name on signature lines, equal to the log's checkpoint origin.</summary>
    public string Name { get; }

    /// <summary>The 32-byte raw Ed25519 public key.</summary>
    public byte[] PublicKey => [.. _publicKey];

    /// <summary>The public key as a DER SubjectPublicKeyInfo (RFC 8410), as <c>trusted_root.json</c> carries it.</summary>
    public byte[] PublicKeySpki => [.. _publicKeySpki];

    /// <summary>SHA-256(name || 0x0A || 0x01 || public key): the Rekor v2 log ID; its first four bytes are <see cref="KeyId"/>.</summary>
    public byte[] LogId => [.. _logId];

    /// <summary>C2SP signed-note key ID: "the first four bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)".</summary>
    public uint KeyId { get; }

    /// <summary>The C2SP signed-note verifier key: <c>name+hex(key ID)+base64(0x01 || public key)</c>.</summary>
    public string VerifierKey => Name + "+" + KeyId.ToString("x8", CultureInfo.InvariantCulture) + "+" + Convert.ToBase64String([Ed25519KeyType, .. _publicKey]);

    /// <summary>Generates a fresh key.</summary>
    /// <param name="name">The key name (the log origin): see <see cref="TileLog.Origin"/> for the rules.</param>
    public static CheckpointSigner Generate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new CheckpointSigner(name, new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /// <summary>Loads a key saved by <see cref="ToPkcs8Pem"/> (an unencrypted PKCS#8 <c>PRIVATE KEY</c> PEM). Throws SC8108 when it is not one Ed25519 key.</summary>
    /// <param name="name">The key name (the log origin).</param>
    /// <param name="pem">The PEM text.</param>
    public static CheckpointSigner FromPkcs8Pem(string name, string pem)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pem);
        AsymmetricKeyParameter key;
        try
        {
            PemFields fields = PemEncoding.Find(pem);
            if (!pem.AsSpan(fields.Label).SequenceEqual("PRIVATE KEY"))
            {
                throw InstanceErrors.LogKeyMalformed.ToException("the PEM label is not PRIVATE KEY");
            }

            key = PrivateKeyFactory.CreateKey(Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or IOException or InvalidOperationException or SecurityUtilityException)
        {
            throw InstanceErrors.LogKeyMalformed.ToException("not a PKCS#8 private key", e);
        }

        return key is Ed25519PrivateKeyParameters ed25519
            ? new CheckpointSigner(name, ed25519)
            : throw InstanceErrors.LogKeyMalformed.ToException("the private key is not Ed25519");
    }

    /// <summary>The private key as unencrypted PKCS#8 PEM; store it with owner-only permissions.</summary>
    public string ToPkcs8Pem() =>
        new string(PemEncoding.Write("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(_privateKey).GetDerEncoded())) + "\n";

    /// <summary>Signs a note text (ending in a newline) and returns the whole signed note.</summary>
    internal string SignNote(string text)
    {
        byte[] message = Encoding.UTF8.GetBytes(text);

        // RFC 8032 section 5.1.6: pure Ed25519 signs the message itself.
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        signer.BlockUpdate(message, 0, message.Length);
        byte[] signature = signer.GenerateSignature();
        byte[] hinted = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(hinted, KeyId);
        signature.CopyTo(hinted, 4);

        // signed-note: "a blank line ... followed by one or more signature lines ... em dash (U+2014), space,
        // key name, space, base64-encoded signature, newline".
        return text + "\n\u2014 " + Name + " " + Convert.ToBase64String(hinted) + "\n";
    }

    /// <summary>SHA-256(name || 0x0A || 0x01 || key).</summary>
    internal static byte[] ComputeLogId(string name, ReadOnlySpan<byte> publicKey)
    {
        return SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, Ed25519KeyType, .. publicKey]);
    }

    /// <summary>
    /// signed-note: "Key names must be non-empty, well-formed UTF-8 containing neither Unicode spaces nor plus";
    /// the origin is also a host-like base URL remainder, so only printable ASCII is accepted. Throws SC8109.
    /// </summary>
    internal static void ValidateName(string name)
    {
        if (name.Length is 0 or > Limits.MaxLogOriginLength)
        {
            throw InstanceErrors.LogOriginInvalid.ToException($"the origin is empty or longer than {Limits.MaxLogOriginLength} characters");
        }

        foreach (char c in name)
        {
            if (c is <= ' ' or > '~' or '+')
            {
                throw InstanceErrors.LogOriginInvalid.ToException("the origin holds a space, a plus sign, or a character outside printable ASCII");
            }
        }
    }
}
