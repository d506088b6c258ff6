using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Instance.Ca;

/// <summary>What <see cref="LocalCertificateAuthority.Issue(LeafCertificateRequest)"/> certifies: a public key, an identity and its issuer, and the issuance choices of a private deployment.</summary>
public sealed class LeafCertificateRequest
{
    /// <summary>The key to certify (ECDSA, RSA or Ed25519), whose possession the caller has already checked.</summary>
    public required PublicKey PublicKey { get; init; }

    /// <summary>The subjectAltName: an e-mail address (rfc822Name) or a URI (uniformResourceIdentifier).</summary>
    public required string Identity { get; init; }

    /// <summary>
    /// Whether <see cref="Identity"/> is an e-mail address; when <see langword="null"/>, it is one when it holds
    /// '@' and no "://".
    /// </summary>
    public bool? IdentityIsEmail { get; init; }

    /// <summary>The OIDC issuer, written to Fulcio's extensions 1.3.6.1.4.1.57264.1.1 (raw) and .1.8 (UTF8String).</summary>
    public required string Issuer { get; init; }

    /// <summary>The issuance time: the SCT's timestamp and, unless <see cref="NotBefore"/> is set, the start of validity.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The start of validity; <see cref="IssuedAt"/> when <see langword="null"/>.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The validity length; Fulcio's 10 minutes (<see cref="LocalCertificateAuthority.LeafLifetime"/>) when <see langword="null"/>.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>
    /// Further extensions, written after the issuer extensions in this order (Fulcio's CI extensions
    /// 1.3.6.1.4.1.57264.1.2 onwards, say: sigstore/fulcio docs/oid-info.md).
    /// </summary>
    public IReadOnlyList<X509Extension> ExtraExtensions { get; init; } = [];

    /// <summary>
    /// When <see langword="false"/>, the leaf carries no SCT, as a Fulcio deployed without a CT log issues; the
    /// default embeds one from the CA's (or <see cref="CtLog"/>'s) CT log when there is one.
    /// </summary>
    public bool EmbedSct { get; init; } = true;

    /// <summary>The CT log for this leaf instead of the CA's (a second log, or a key the caller holds).</summary>
    public ICtLogSigner? CtLog { get; init; }
}
