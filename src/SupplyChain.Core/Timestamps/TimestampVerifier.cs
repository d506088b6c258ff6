using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Timestamps;

/// <summary>A verified RFC 3161 time.</summary>
/// <param name="Time">The genTime of the token.</param>
/// <param name="Authority">The trusted TSA that issued it.</param>
internal sealed record VerifiedTimestamp(DateTimeOffset Time, CertificateAuthority Authority);

/// <summary>RFC 3161 timestamp verification against the trusted root's TSAs (CONTRACT STUB).</summary>
internal sealed class TimestampVerifier
{
    /// <summary>Precomputes per-TSA state.</summary>
    public TimestampVerifier(ITrustedMaterial trust) => _ = trust;

    /// <summary>
    /// Verifies <paramref name="token"/> (a DER TimeStampToken) over <paramref name="signature"/>: CMS signature,
    /// message imprint, TSA chain from the trusted root validated at genTime, TSA validFor containing genTime.
    /// Throws SC1401-SC1405.
    /// </summary>
    public VerifiedTimestamp Verify(ReadOnlyMemory<byte> token, ReadOnlySpan<byte> signature) => throw new NotImplementedException();
}
