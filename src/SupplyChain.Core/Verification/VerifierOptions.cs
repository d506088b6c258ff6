using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Thresholds a verifier enforces (sigstore-go verify.VerifierOption). Validated when the verifier is built.
/// </summary>
public sealed record VerifierOptions
{
    /// <summary>The defaults: one verified log entry, one verified time (SET or RFC 3161), one verified SCT.</summary>
    public static VerifierOptions Default { get; } = new();

    /// <summary>Verified transparency-log entries required (at least 1).</summary>
    public int TransparencyLogThreshold { get; init; } = 1;

    /// <summary>Verified RFC 3161 timestamps required (0 or more).</summary>
    public int SignedTimestampThreshold { get; init; }

    /// <summary>Verified times of any kind (SET integrated times plus RFC 3161 timestamps) required (at least 1).</summary>
    public int ObserverTimestampThreshold { get; init; } = 1;

    /// <summary>Checks the thresholds.</summary>
    /// <exception cref="TrustRootException">SC1609 for an unusable option.</exception>
    public void Validate()
    {
        if (TransparencyLogThreshold < 1)
        {
            throw CoreErrors.VerifierOptionsInvalid.ToException("TransparencyLogThreshold must be at least 1");
        }

        if (SignedTimestampThreshold < 0)
        {
            throw CoreErrors.VerifierOptionsInvalid.ToException("SignedTimestampThreshold must not be negative");
        }

        if (ObserverTimestampThreshold < 1)
        {
            throw CoreErrors.VerifierOptionsInvalid.ToException("ObserverTimestampThreshold must be at least 1");
        }
    }
}
