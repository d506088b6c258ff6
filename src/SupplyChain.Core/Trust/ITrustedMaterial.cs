namespace SupplyChain.Core.Trust;

/// <summary>
/// The keys and certificates a verifier trusts (sigstore-go root.TrustedMaterial): transparency logs,
/// Fulcio CAs, CT logs and timestamp authorities, each with its validity window.
/// </summary>
public interface ITrustedMaterial
{
    /// <summary>Rekor transparency logs.</summary>
    IReadOnlyList<TransparencyLogInstance> TransparencyLogs { get; }

    /// <summary>Fulcio certificate authorities.</summary>
    IReadOnlyList<CertificateAuthority> CertificateAuthorities { get; }

    /// <summary>Certificate-transparency logs whose SCTs Fulcio certificates embed.</summary>
    IReadOnlyList<TransparencyLogInstance> CertificateTransparencyLogs { get; }

    /// <summary>RFC 3161 timestamp authorities.</summary>
    IReadOnlyList<CertificateAuthority> TimestampAuthorities { get; }
}
