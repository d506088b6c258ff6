using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Timestamps;

/// <summary>The RFC 3161 timestamps of one bundle: those that verified, and why each of the others did not.</summary>
internal sealed class BundleTimestamps
{
    private readonly List<(int Position, SupplyChainException Error)> _setAside;

    private BundleTimestamps(IReadOnlyList<VerifiedTimestamp> verified, List<(int, SupplyChainException)> setAside)
    {
        Verified = verified;
        _setAside = setAside;
    }

    /// <summary>The timestamps that verified, in bundle order.</summary>
    public IReadOnlyList<VerifiedTimestamp> Verified { get; }

    /// <summary>The verified times.</summary>
    public IReadOnlyList<DateTimeOffset> Times => Verified.Select(t => t.Time).ToArray();

    /// <summary>
    /// Verifies every timestamp over <paramref name="signature"/>. A timestamp that fails is set aside and never counts
    /// toward a threshold (sigstore-go VerifySignedTimestamp: "Timestamps from unknown source are okay, but don't count
    /// as verified"; sigstore-python logs and skips it); docs/verification.md gives the decision and the clients side by side.
    /// </summary>
    /// <exception cref="VerificationFailedException">
    /// SC1409 when one token appears twice (sigstore-go: "a malicious actor could use duplicates to bypass the
    /// threshold"); when fewer than <paramref name="threshold"/> verify, see <see cref="Failure"/> (SC1406 or the code of
    /// the first timestamp set aside).
    /// </exception>
    public static BundleTimestamps Verify(TimestampVerifier verifier, IReadOnlyList<ReadOnlyMemory<byte>> tokens, ReadOnlySpan<byte> signature, int threshold)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            for (int j = i + 1; j < tokens.Count; j++)
            {
                if (tokens[i].Span.SequenceEqual(tokens[j].Span))
                {
                    throw CoreErrors.TimestampDuplicate.ToException($"timestamps {i + 1} and {j + 1} are the same token");
                }
            }
        }

        var verified = new List<VerifiedTimestamp>(tokens.Count);
        var setAside = new List<(int, SupplyChainException)>();
        for (int i = 0; i < tokens.Count; i++)
        {
            try
            {
                verified.Add(verifier.Verify(tokens[i], signature));
            }
            catch (SupplyChainException ex) when (ex is VerificationFailedException or MalformedInputException)
            {
                setAside.Add((i + 1, ex));
            }
        }

        var result = new BundleTimestamps(verified, setAside);
        if (verified.Count < threshold)
        {
            throw result.Failure(CoreErrors.TimestampThresholdNotMet, $"{verified.Count} verified, {threshold} required");
        }

        return result;
    }

    /// <summary>
    /// The failure to report when verification fails for want of verified timestamps. Without a timestamp set aside, it
    /// is <paramref name="code"/>. With one, what the user can act on is why that timestamp failed: the first one's own
    /// code and detail (SC1404 for a timestamp over other data, say), followed by <paramref name="detail"/>.
    /// </summary>
    public SupplyChainException Failure(ErrorCode code, string detail)
    {
        if (_setAside.Count == 0)
        {
            return code.ToException(detail);
        }

        (int position, SupplyChainException first) = _setAside[0];
        string prefix = first.Code + ": " + first.Error.Summary + ": ";
        string firstDetail = first.Message.StartsWith(prefix, StringComparison.Ordinal) ? first.Message[prefix.Length..] : first.Message;
        string others = _setAside.Count == 1 ? "" : $" ({_setAside.Count - 1} more timestamp(s) set aside: {string.Join(", ", _setAside.Skip(1).Select(f => $"{f.Position}: {f.Error.Code}"))})";
        return first.Error.ToException($"timestamp {position} of {_setAside.Count + Verified.Count}: {firstDetail}; set aside, so {detail}{others}", first);
    }
}
