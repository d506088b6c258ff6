using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Thresholds a verifier enforces (sigstore-go verify.VerifierOption). Validated when the verifier is built.
/// </summary>
public sealed record VerifierOptions
{
    /// <summary>The defaults: one verified log entry, one verified time (SET or RFC 3161), one verified SCT.</summary>
    public static VerifierOptions Default { get; } = new();

    /// <summary>
    /// The thresholds of a Sigstore instance without a transparency log, such as GitHub's for private repositories
    /// (Fulcio at fulcio.githubapp.com and its TSA): one verified RFC 3161 timestamp instead of a log entry, and no
    /// SCT (its trusted root lists no CT log). sigstore-go's <c>verify.WithSignedTimestamps(1)</c>, the verifier
    /// <c>gh attestation verify</c> builds for GitHub's trusted root. Use it only with that instance's trusted root:
    /// a verifier built with <see cref="Default"/> never accepts a bundle without a log entry.
    /// </summary>
    public static VerifierOptions SignedTimestampsInsteadOfLog { get; } = new()
    {
        TransparencyLogThreshold = 0,
        SignedTimestampThreshold = 1,
        CertificateTransparencyThreshold = 0,
    };

    /// <summary>
    /// Verified transparency-log entries required: at least 1, or 0 when <see cref="SignedTimestampThreshold"/> is at
    /// least 1 (an instance whose times come from its TSA alone).
    /// </summary>
    public int TransparencyLogThreshold { get; init; } = 1;

    /// <summary>
    /// Verified SCTs (RFC 6962) the certificate must carry: 1 (the default), or 0 for an instance whose trusted root
    /// lists no CT log. Only 0 when <see cref="SignedTimestampThreshold"/> is at least 1, as for the log.
    /// </summary>
    public int CertificateTransparencyThreshold { get; init; } = 1;

    /// <summary>Verified RFC 3161 timestamps required (0 or more).</summary>
    public int SignedTimestampThreshold { get; init; }

    /// <summary>Verified times of any kind (SET integrated times plus RFC 3161 timestamps) required (at least 1).</summary>
    public int ObserverTimestampThreshold { get; init; } = 1;

    /// <summary>Checks the thresholds.</summary>
    /// <exception cref="TrustRootException">SC1609 for an unusable option.</exception>
    public void Validate()
    {
        // A bundle without a log entry is only acceptable when a TSA vouches for its time (sigstore-go
        // verify.NewVerifier: "you must specify at least one of WithTransparencyLog or WithSignedTimestamps").
        if (TransparencyLogThreshold < 0 || (TransparencyLogThreshold == 0 && SignedTimestampThreshold < 1))
        {
            throw CoreErrors.VerifierOptionsInvalid.ToException("TransparencyLogThreshold must be at least 1, or 0 with SignedTimestampThreshold at least 1");
        }

        if (CertificateTransparencyThreshold is not (0 or 1) || (CertificateTransparencyThreshold == 0 && SignedTimestampThreshold < 1))
        {
            throw CoreErrors.VerifierOptionsInvalid.ToException("CertificateTransparencyThreshold must be 1, or 0 with SignedTimestampThreshold at least 1");
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
