using SupplyChain.Core.Bundles;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Transparency;

/// <summary>Verifies one transparency-log entry of a bundle (CONTRACT STUB: implemented by the transparency work).</summary>
internal static class TransparencyLogVerifier
{
    /// <summary>
    /// Verifies <paramref name="entry"/>: the log is trusted; the body (kind/version) matches
    /// <paramref name="subject"/>; the inclusion proof leads to a checkpoint signed by that same log;
    /// the SET verifies when present. Throws a <see cref="Errors.VerificationFailedException"/> with an SC12xx code.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="subject">What the body must match.</param>
    /// <param name="trust">Trusted logs.</param>
    /// <param name="verifiedTimestamps">Times verified by RFC 3161 timestamps; the log key must be valid at one of them when the entry carries no integrated time.</param>
    public static VerifiedTlogEntry VerifyEntry(TransparencyLogEntry entry, TlogSubject subject, ITrustedMaterial trust, IReadOnlyList<DateTimeOffset> verifiedTimestamps)
        => throw new NotImplementedException();
}
