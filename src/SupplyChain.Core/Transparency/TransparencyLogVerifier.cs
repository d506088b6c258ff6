using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Transparency;

/// <summary>Verifies one transparency-log entry of a bundle.</summary>
internal static class TransparencyLogVerifier
{
    /// <summary>
    /// Verifies <paramref name="entry"/>: the log is trusted; the body (kind/version) matches
    /// <paramref name="subject"/>; the inclusion proof leads to a checkpoint signed by that same log;
    /// the SET verifies when present. Throws a <see cref="VerificationFailedException"/> with an SC12xx code.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="subject">What the body must match.</param>
    /// <param name="trust">Trusted logs.</param>
    /// <param name="verifiedTimestamps">Times verified by RFC 3161 timestamps; the log key must be valid at one of them when the entry carries no integrated time.</param>
    /// <param name="timestampFailure">Builds the failure for want of a verified timestamp, naming why the bundle's timestamps were set aside (<see cref="ErrorCode.ToException(string?, Exception?)"/> when null).</param>
    public static VerifiedTlogEntry VerifyEntry(TransparencyLogEntry entry, TlogSubject subject, ITrustedMaterial trust, IReadOnlyList<DateTimeOffset> verifiedTimestamps, Func<ErrorCode, string, SupplyChainException>? timestampFailure = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(verifiedTimestamps);

        // Sigstore client spec: the entry's log must be one the trusted root lists, found by log ID.
        TransparencyLogInstance log = FindLog(entry, trust);

        // "Never skip a check because a field is absent": an entry proves nothing without a proof
        // of inclusion or a promise of it.
        bool hasPromise = SignedEntryTimestamp.IsPresent(entry);
        if (entry.InclusionProof is null && !hasPromise)
        {
            throw CoreErrors.TlogEntryMissingProofAndPromise.ToException();
        }

        if (!EntryBodyMatcher.IsSupported(entry.Kind, entry.KindVersion))
        {
            throw CoreErrors.TlogUnsupportedKind.ToException($"{Truncate(entry.Kind)} {Truncate(entry.KindVersion)}");
        }

        // Rekor v1: the SET is the log's signature over the integrated time; only then is that time trusted.
        DateTimeOffset? integratedTime = null;
        if (hasPromise)
        {
            integratedTime = SignedEntryTimestamp.Verify(entry, log);
        }

        // The log key must have been valid when the log acted: at the signed integrated time, or
        // (Rekor v2, no integrated time) at a time an RFC 3161 timestamp vouches for.
        RequireLogValid(log, integratedTime, verifiedTimestamps, timestampFailure ?? ((code, detail) => code.ToException(detail)));

        if (entry.InclusionProof is { } proof)
        {
            InclusionVerifier.Verify(entry, proof, log);

            // Without a SET nothing signs the entry's own logIndex; a single-shard log (Rekor v2) gives the
            // leaf's index in the proof, so the two must agree or the reported index would be unauthenticated.
            if (integratedTime is null && entry.LogIndex != proof.LogIndex)
            {
                throw CoreErrors.InclusionProofInvalid.ToException($"entry logIndex {entry.LogIndex} differs from the proven index {proof.LogIndex}");
            }
        }

        EntryBodyMatcher.Match(entry, subject);
        return new VerifiedTlogEntry(entry, log, integratedTime);
    }

    private static TransparencyLogInstance FindLog(TransparencyLogEntry entry, ITrustedMaterial trust)
    {
        ReadOnlySpan<byte> logId = entry.LogId.Span;
        IReadOnlyList<TransparencyLogInstance> logs = trust.TransparencyLogs;
        for (int i = 0; i < logs.Count; i++)
        {
            if (logs[i].LogId.Span.SequenceEqual(logId))
            {
                return logs[i];
            }
        }

        throw CoreErrors.TlogUnknownLog.ToException($"log ID {Convert.ToHexStringLower(logId)}");
    }

    private static void RequireLogValid(TransparencyLogInstance log, DateTimeOffset? integratedTime, IReadOnlyList<DateTimeOffset> verifiedTimestamps, Func<ErrorCode, string, SupplyChainException> failure)
    {
        if (integratedTime is { } time)
        {
            if (!log.ValidFor.Contains(time))
            {
                throw CoreErrors.TlogLogNotValidAtTime.ToException($"integrated time {time:O} is outside {log.ValidFor}");
            }

            return;
        }

        if (verifiedTimestamps.Count == 0)
        {
            throw failure(CoreErrors.NoVerifiedTime, "the entry has no signed integrated time (SET) and the bundle no verified RFC 3161 timestamp");
        }

        for (int i = 0; i < verifiedTimestamps.Count; i++)
        {
            if (log.ValidFor.Contains(verifiedTimestamps[i]))
            {
                return;
            }
        }

        throw failure(CoreErrors.TlogLogNotValidAtTime, $"no verified timestamp lies in {log.ValidFor}");
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
