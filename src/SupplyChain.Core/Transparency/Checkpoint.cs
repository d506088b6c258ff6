using SupplyChain.Core.Serialization;
using System.Buffers.Binary;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Transparency;

/// <summary>One signature line of a signed note: the key name, the 4-byte key hint and the signature.</summary>
/// <param name="Name">The key name.</param>
/// <param name="KeyHint">The key ID (first 4 bytes of the decoded signature, big-endian).</param>
/// <param name="Signature">The signature bytes after the key hint.</param>
public readonly record struct NoteSignature(string Name, uint KeyHint, ReadOnlyMemory<byte> Signature);

/// <summary>
/// A parsed checkpoint (C2SP tlog-checkpoint) in its signed-note envelope (C2SP signed-note), as Rekor v1 and v2
/// sign their trees and bundles carry them in <c>inclusionProof.checkpoint.envelope</c>. Parsing checks the shape
/// only; <see cref="CheckpointVerifier"/> checks the signatures. Immutable.
/// </summary>
public sealed class Checkpoint
{
    private const char EmDash = '\u2014';

    private Checkpoint(string origin, long size, byte[] rootHash, IReadOnlyList<string> extensions, byte[] signedText, IReadOnlyList<NoteSignature> signatures)
    {
        Origin = origin;
        Size = size;
        RootHash = rootHash;
        Extensions = extensions;
        SignedText = signedText;
        Signatures = signatures;
    }

    /// <summary>The origin line: the log's identity, such as <c>rekor.sigstore.dev - 2605736670972794746</c>.</summary>
    public string Origin { get; }

    /// <summary>The tree size.</summary>
    public long Size { get; }

    /// <summary>The root hash (32 bytes).</summary>
    public ReadOnlyMemory<byte> RootHash { get; }

    /// <summary>Extension lines after the root hash (Rekor v1: <c>Timestamp: ...</c>).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The signed bytes: the note text up to and including its final newline, UTF-8.</summary>
    public ReadOnlyMemory<byte> SignedText { get; }

    /// <summary>The signature lines, in order.</summary>
    public IReadOnlyList<NoteSignature> Signatures { get; }

    /// <summary>Parses a checkpoint note (at most 64 KiB, at most 100 signature lines).</summary>
    /// <param name="envelope">The signed note text.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="MalformedInputException">SC1208 (<see cref="CoreErrors.CheckpointMalformed"/>) on any malformed shape.</exception>
    public static Checkpoint Parse(string envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Length > Limits.MaxCheckpointBytes || System.Text.Encoding.UTF8.GetByteCount(envelope) > Limits.MaxCheckpointBytes)
        {
            throw Malformed($"over the {Limits.MaxCheckpointBytes}-byte limit");
        }

        // signed-note: "Signed notes must be valid UTF-8 and must not contain any ASCII control
        // characters (those below U+0020) other than newline." A .NET string holding a lone
        // surrogate is not valid UTF-8 either.
        bool hasSurrogates = false;
        foreach (char c in envelope)
        {
            if (c < ' ' && c != '\n')
            {
                throw Malformed("contains a control character other than newline");
            }

            hasSurrogates |= char.IsSurrogate(c);
        }

        if (hasSurrogates && !HasOnlyPairedSurrogates(envelope))
        {
            throw Malformed("not well-formed Unicode text");
        }

        // signed-note: "A signed note consists of a text ending in newline (U+000A), followed by a
        // blank line (only a newline), followed by one or more signature lines". Signature lines are
        // never empty, so the last blank line is the separator (as golang.org/x/mod/sumdb/note).
        int split = envelope.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw Malformed("no blank line separates the text from the signatures");
        }

        string text = envelope[..(split + 1)];
        ReadOnlySpan<char> signatureBlock = envelope.AsSpan(split + 2);
        List<NoteSignature> signatures = ParseSignatures(signatureBlock);

        // tlog-checkpoint: "The first line is the origin... The second line is the tree size, as an
        // ASCII decimal number... The third line is the root hash, as standard base64... Any
        // subsequent lines are extension lines" (each non-empty: the body has no blank lines).
        string[] lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw Malformed($"the body has {lines.Length} line(s); origin, size and root hash are required");
        }

        string origin = lines[0];
        if (origin.Length == 0)
        {
            throw Malformed("the origin line is empty");
        }

        if (!TryParseSize(lines[1], out long size))
        {
            throw Malformed("the second line is not a tree size (ASCII decimal without leading zeros)");
        }

        // Canonical standard base64 only (zero pad bits): two spellings of one hash would be two notes with one meaning.
        if (lines[2].Length != 44 || lines[2].Contains('-') || lines[2].Contains('_')
            || !StrictBase64.TryDecode(lines[2], out byte[]? rootHash) || rootHash.Length != MerkleTree.HashSize)
        {
            throw Malformed("the third line is not a base64 SHA-256 root hash");
        }

        var extensions = new string[lines.Length - 3];
        for (int i = 3; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                throw Malformed("an extension line is empty");
            }

            extensions[i - 3] = lines[i];
        }

        return new Checkpoint(origin, size, rootHash, extensions, System.Text.Encoding.UTF8.GetBytes(text), signatures);
    }

    private static List<NoteSignature> ParseSignatures(ReadOnlySpan<char> block)
    {
        var signatures = new List<NoteSignature>();
        if (block.IsEmpty)
        {
            throw Malformed("no signature lines");
        }

        if (block[^1] != '\n')
        {
            throw Malformed("the last signature line does not end in a newline");
        }

        ReadOnlySpan<char> rest = block;
        while (!rest.IsEmpty)
        {
            int newline = rest.IndexOf('\n');
            ReadOnlySpan<char> line = rest[..newline];
            rest = rest[(newline + 1)..];
            if (signatures.Count == Limits.MaxNoteSignatures)
            {
                throw Malformed($"more than {Limits.MaxNoteSignatures} signature lines");
            }

            signatures.Add(ParseSignatureLine(line));
        }

        return signatures;
    }

    /// <summary>signed-note: "em dash (U+2014), space (U+0020), key name, space, base64-encoded signature, newline".</summary>
    private static NoteSignature ParseSignatureLine(ReadOnlySpan<char> line)
    {
        if (line.Length < 2 || line[0] != EmDash || line[1] != ' ')
        {
            throw Malformed("a signature line does not start with an em dash and a space");
        }

        ReadOnlySpan<char> fields = line[2..];
        int space = fields.IndexOf(' ');
        if (space <= 0)
        {
            throw Malformed("a signature line has no key name");
        }

        // signed-note: "Key names must be non-empty, well-formed UTF-8 containing neither Unicode
        // spaces nor plus (U+002B)."
        ReadOnlySpan<char> name = fields[..space];
        foreach (char c in name)
        {
            if (c == '+' || char.IsWhiteSpace(c))
            {
                throw Malformed("a key name contains a space or a plus sign");
            }
        }

        ReadOnlySpan<char> encoded = fields[(space + 1)..];
        if (encoded.IsEmpty || encoded.Contains(' '))
        {
            throw Malformed("a signature line has no signature or extra fields");
        }

        string text = encoded.ToString();
        if (encoded.Length % 4 != 0 || text.Contains('-') || text.Contains('_') || !StrictBase64.TryDecode(text, out byte[]? decoded))
        {
            throw Malformed("a signature is not canonical standard padded base64");
        }

        int length = decoded.Length;

        // signed-note: the decoded signature is "a 4-byte key ID followed by the signature".
        if (length < 5)
        {
            throw Malformed("a signature is shorter than its key hint");
        }

        uint hint = BinaryPrimitives.ReadUInt32BigEndian(decoded);
        return new NoteSignature(name.ToString(), hint, decoded.AsMemory(4, length - 4));
    }

    /// <summary>tlog-checkpoint: the size is "an ASCII decimal number" (no sign, no leading zeros, fits in 63 bits).</summary>
    private static bool TryParseSize(string line, out long size)
    {
        size = 0;
        if (line.Length == 0 || line.Length > 19 || (line.Length > 1 && line[0] == '0'))
        {
            return false;
        }

        foreach (char c in line)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return long.TryParse(line, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size);
    }

    private static bool HasOnlyPairedSurrogates(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static SupplyChainException Malformed(string detail) => CoreErrors.CheckpointMalformed.ToException(detail);
}
