using System.Buffers.Binary;
using System.Globalization;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;

namespace SupplyChain.Instance.Log;

/// <summary>
/// A C2SP tlog-checkpoint (origin, tree size, root hash) in its C2SP signed-note envelope, verified against
/// the log's Ed25519 key. Immutable.
/// </summary>
public sealed class SignedCheckpoint
{
    private readonly byte[] _rootHash;

    private SignedCheckpoint(string origin, long size, byte[] rootHash, string text)
    {
        Origin = origin;
        Size = size;
        _rootHash = rootHash;
        Text = text;
    }

    /// <summary>The origin line (also the key name).</summary>
    public string Origin { get; }

    /// <summary>The tree size.</summary>
    public long Size { get; }

    /// <summary>The 32-byte root hash.</summary>
    public ReadOnlyMemory<byte> RootHash => _rootHash;

    /// <summary>The whole signed note, as stored in the <c>checkpoint</c> file and carried in Rekor v2 bundles.</summary>
    public string Text { get; }

    /// <summary>
    /// Parses a signed checkpoint and verifies it: the origin must be the key's name and a signature line
    /// by that name and key ID must verify. Throws SC8103 otherwise, SC8108 when the verifier key is malformed.
    /// </summary>
    /// <param name="note">The signed note text.</param>
    /// <param name="verifierKey">The C2SP verifier key (<see cref="CheckpointSigner.VerifierKey"/>).</param>
    public static SignedCheckpoint Parse(string note, string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(verifierKey);
        (string name, uint keyId, byte[] publicKey) = ParseVerifierKey(verifierKey);

        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Parse(note);
        }
        catch (SupplyChainException e)
        {
            throw InstanceErrors.LogCheckpointInvalid.ToException($"the note does not parse ({e.Code})", e);
        }

        // tlog-checkpoint: the origin "MUST uniquely identify the log"; the log signs under its origin.
        if (!string.Equals(checkpoint.Origin, name, StringComparison.Ordinal))
        {
            throw InstanceErrors.LogCheckpointInvalid.ToException("the origin is not the log's key name");
        }

        // signed-note: "Verifiers ... MUST ignore signatures from unknown keys"; one known valid signature suffices.
        foreach (NoteSignature signature in checkpoint.Signatures)
        {
            if (signature.KeyHint == keyId && string.Equals(signature.Name, name, StringComparison.Ordinal)
                && VerifyEd25519(publicKey, checkpoint.SignedText.ToArray(), signature.Signature.Span))
            {
                return new SignedCheckpoint(checkpoint.Origin, checkpoint.Size, checkpoint.RootHash.ToArray(), note);
            }
        }

        throw InstanceErrors.LogCheckpointInvalid.ToException($"no valid signature by '{name}' with key ID {keyId:x8}");
    }

    /// <summary>Builds and signs the checkpoint for a tree.</summary>
    internal static SignedCheckpoint Create(CheckpointSigner signer, long size, byte[] rootHash)
    {
        // tlog-checkpoint: "origin", "tree size, as an ASCII decimal number", "root hash, as standard base64", each line ending in a newline.
        string body = signer.Name + "\n" + size.ToString(CultureInfo.InvariantCulture) + "\n" + Convert.ToBase64String(rootHash) + "\n";
        return new SignedCheckpoint(signer.Name, size, rootHash, signer.SignNote(body));
    }

    /// <summary>signed-note verifier key: "&lt;name&gt;+&lt;hash&gt;+&lt;keydata&gt;", hash being 8 hex digits and keydata base64(type || key).</summary>
    internal static (string Name, uint KeyId, byte[] PublicKey) ParseVerifierKey(string verifierKey)
    {
        string[] parts = verifierKey.Split('+', 3);
        if (parts.Length != 3 || parts[1].Length != 8 || !parts[1].All(char.IsAsciiHexDigitLower)
            || !TryDecodeKeyData(parts[2], out byte[]? keyData) || keyData[0] != CheckpointSigner.Ed25519KeyType)
        {
            throw InstanceErrors.LogKeyMalformed.ToException("not an Ed25519 signed-note verifier key (name+hex8+base64)");
        }

        CheckpointSigner.ValidateName(parts[0]);
        byte[] publicKey = keyData[1..];
        uint keyId = uint.Parse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (BinaryPrimitives.ReadUInt32BigEndian(CheckpointSigner.ComputeLogId(parts[0], publicKey)) != keyId)
        {
            throw InstanceErrors.LogKeyMalformed.ToException("the key ID does not match the name and key");
        }

        return (parts[0], keyId, publicKey);
    }

    /// <summary>signed-note keydata: standard padded base64 of 33 bytes (type || Ed25519 key), in its one canonical spelling.</summary>
    private static bool TryDecodeKeyData(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? keyData)
    {
        byte[] buffer = new byte[33];
        keyData = Convert.TryFromBase64String(text, buffer, out int written) && written == buffer.Length && Convert.ToBase64String(buffer) == text ? buffer : null;
        return keyData is not null;
    }

    private static bool VerifyEd25519(byte[] publicKey, byte[] message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64)
        {
            return false;
        }

        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature.ToArray());
    }
}
