using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Transparency;

/// <summary>Checks that a checkpoint was signed by one particular trusted log.</summary>
public static class CheckpointVerifier
{
    private const string TreeIdSeparator = " - ";

    /// <summary>
    /// Requires at least one valid signature by <paramref name="log"/> on <paramref name="checkpoint"/>,
    /// or throws SC1209 (<see cref="CoreErrors.CheckpointSignatureInvalid"/>).
    /// </summary>
    /// <param name="checkpoint">The parsed checkpoint.</param>
    /// <param name="log">The trusted log that must have signed it.</param>
    /// <exception cref="VerificationFailedException">SC1209: the origin is not the log's, or no signature line by the log's key verifies.</exception>
    /// <remarks>
    /// A log is identified by its key (the entry's log ID selects the trusted log, whose key must sign), and a signature
    /// line counts only when its key ID and key name are the log's (C2SP signed-note: "A verifier ... MUST ignore
    /// signatures from unknown keys"). What names the log depends on its kind, as sigstore-go tells them apart (an
    /// origin ending in " - " and a decimal tree ID is a Rekor v1 signed tree head):
    /// <list type="bullet">
    /// <item>Rekor v1 ("rekor.sigstore.dev - 2605736670972794746"): the origin is the name the log gives itself
    /// (its configured host name, a pod name on a Kubernetes deployment), and C2SP tlog-checkpoint says clients "MUST
    /// NOT assume that the origin is following this format or that the URL corresponds to a reachable endpoint". The
    /// key name must be the origin's name part (Rekor signs under it), the key ID the log ID prefix (SHA-256 of the
    /// log's key), and the signature must verify with the log's key; the base URL is not compared (sigstore-go checks
    /// the signature only).</item>
    /// <item>Rekor v2 (rekor-tiles, "log2025-1.rekor.sigstore.dev"): the origin and key name are the log's base URL
    /// without its scheme, or its host name alone (sigstore-go passes <c>url.Hostname()</c>); the Ed25519 key ID is
    /// derived from that name, so name, key and origin are bound together.</item>
    /// </list>
    /// Witness cosignatures and signatures by other keys or under other names are ignored.
    /// </remarks>
    public static void Verify(Checkpoint checkpoint, TransparencyLogInstance log)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(log);

        if (RekorV1Name(checkpoint.Origin) is { } rekorV1Name)
        {
            uint hint = CheckpointKeyHint.For(log, rekorV1Name);
            if (HasValidSignature(checkpoint, log, rekorV1Name, hint))
            {
                return;
            }

            throw CoreErrors.CheckpointSignatureInvalid.ToException($"no valid signature by the log's key under the name '{Truncate(rekorV1Name)}' with key hint {hint:x8}");
        }

        // tlog-checkpoint: "The origin line ... MUST uniquely identify the log"; for Rekor v2 the trusted root names it
        // through the base URL, so a note of another log, even one with the same key, does not vouch for this tree.
        foreach (string name in RekorV2Names(log))
        {
            if (string.Equals(checkpoint.Origin, name, StringComparison.Ordinal))
            {
                if (HasValidSignature(checkpoint, log, name, CheckpointKeyHint.For(log, name)))
                {
                    return;
                }

                throw CoreErrors.CheckpointSignatureInvalid.ToException($"no valid signature by '{name}' with key hint {CheckpointKeyHint.For(log, name):x8}");
            }
        }

        throw CoreErrors.CheckpointSignatureInvalid.ToException($"the checkpoint origin '{Truncate(checkpoint.Origin)}' is not the log '{log.OriginHostname}'");
    }

    private static bool HasValidSignature(Checkpoint checkpoint, TransparencyLogInstance log, string name, uint hint)
    {
        foreach (NoteSignature signature in checkpoint.Signatures)
        {
            // signed-note: the signature is over the note text, "ending in newline".
            if (signature.KeyHint == hint
                && string.Equals(signature.Name, name, StringComparison.Ordinal)
                && log.PublicKey.VerifyData(checkpoint.SignedText.Span, signature.Signature.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The name part of a Rekor v1 origin ("NAME - TREEID", TREEID decimal; sigstore-go's <c>.* - [0-9]+$</c>), or null.
    /// </summary>
    private static string? RekorV1Name(string origin)
    {
        int separator = origin.LastIndexOf(TreeIdSeparator, StringComparison.Ordinal);
        if (separator <= 0 || separator + TreeIdSeparator.Length == origin.Length)
        {
            return null;
        }

        foreach (char c in origin.AsSpan(separator + TreeIdSeparator.Length))
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }

        return origin[..separator];
    }

    /// <summary>The names a Rekor v2 log signs under: its base URL without scheme, and its host name alone.</summary>
    private static IEnumerable<string> RekorV2Names(TransparencyLogInstance log)
    {
        string full = log.OriginHostname;
        yield return full;
        if (Uri.TryCreate(log.BaseUrl, UriKind.Absolute, out Uri? url) && url.IdnHost is { Length: > 0 } host && !string.Equals(host, full, StringComparison.Ordinal))
        {
            yield return host;
        }
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
