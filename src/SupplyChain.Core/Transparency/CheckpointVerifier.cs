using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Transparency;

/// <summary>Checks that a checkpoint was signed by one particular trusted log.</summary>
public static class CheckpointVerifier
{
    /// <summary>
    /// Requires at least one valid signature by <paramref name="log"/> on <paramref name="checkpoint"/>,
    /// or throws SC1209 (<see cref="CoreErrors.CheckpointSignatureInvalid"/>).
    /// </summary>
    /// <param name="checkpoint">The parsed checkpoint.</param>
    /// <param name="log">The trusted log that must have signed it.</param>
    /// <exception cref="VerificationFailedException">SC1209: the origin is not the log's, or no signature line by the log's key verifies.</exception>
    /// <remarks>
    /// Name and key matching follow C2SP signed-note ("A verifier ... MUST ignore signatures from
    /// unknown keys"; a signature is by a known key when both its key name and key ID match) and
    /// Sigstore's logs: the key name is the log's hostname (its base URL without scheme), which is
    /// the whole origin for Rekor v2 ("log2025-1.rekor.sigstore.dev") and the origin's prefix
    /// before " - " and the tree ID for Rekor v1 ("rekor.sigstore.dev - 2605736670972794746").
    /// Witness cosignatures and signatures by other keys under the log's name are ignored.
    /// </remarks>
    public static void Verify(Checkpoint checkpoint, TransparencyLogInstance log)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(log);
        string name = log.OriginHostname;

        // tlog-checkpoint: "The origin line ... MUST uniquely identify the log"; a note of another
        // log, even one with the same key, must not vouch for this log's tree.
        if (!OriginBelongsTo(checkpoint.Origin, name))
        {
            throw CoreErrors.CheckpointSignatureInvalid.ToException($"the checkpoint origin '{Truncate(checkpoint.Origin)}' is not the log '{name}'");
        }

        uint hint = CheckpointKeyHint.For(log);
        foreach (NoteSignature signature in checkpoint.Signatures)
        {
            if (signature.KeyHint != hint || !string.Equals(signature.Name, name, StringComparison.Ordinal))
            {
                continue;
            }

            // signed-note: the signature is over the note text, "ending in newline".
            if (log.PublicKey.VerifyData(checkpoint.SignedText.Span, signature.Signature.Span))
            {
                return;
            }
        }

        throw CoreErrors.CheckpointSignatureInvalid.ToException($"no valid signature by '{name}' with key hint {hint:x8}");
    }

    /// <summary>Rekor v2: origin == hostname. Rekor v1: origin == hostname + " - " + decimal tree ID.</summary>
    private static bool OriginBelongsTo(string origin, string hostname)
    {
        if (string.Equals(origin, hostname, StringComparison.Ordinal))
        {
            return true;
        }

        const string separator = " - ";
        if (origin.Length <= hostname.Length + separator.Length
            || !origin.StartsWith(hostname, StringComparison.Ordinal)
            || string.CompareOrdinal(origin, hostname.Length, separator, 0, separator.Length) != 0)
        {
            return false;
        }

        foreach (char c in origin.AsSpan(hostname.Length + separator.Length))
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
