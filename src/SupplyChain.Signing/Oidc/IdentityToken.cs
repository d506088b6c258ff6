namespace SupplyChain.Signing.Oidc;

/// <summary>
/// An OIDC identity token. <see cref="ToString"/> never returns the token: it must not reach logs or
/// error messages. Parsing and validation (expiry, audience) live with the providers.
/// </summary>
public sealed class IdentityToken
{
    /// <summary>Creates a token record.</summary>
    /// <param name="rawToken">The compact JWS.</param>
    /// <param name="issuer">The <c>iss</c> claim.</param>
    /// <param name="subject">The identity Fulcio will certify (email or <c>sub</c>).</param>
    /// <param name="audiences">The <c>aud</c> values.</param>
    /// <param name="expiresAt">The <c>exp</c> claim.</param>
    public IdentityToken(string rawToken, string issuer, string subject, IReadOnlyList<string> audiences, DateTimeOffset expiresAt)
    {
        RawToken = rawToken ?? throw new ArgumentNullException(nameof(rawToken));
        Issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        Subject = subject ?? throw new ArgumentNullException(nameof(subject));
        Audiences = audiences ?? throw new ArgumentNullException(nameof(audiences));
        ExpiresAt = expiresAt;
    }

    /// <summary>The compact JWS, to send to Fulcio only.</summary>
    public string RawToken { get; }

    /// <summary>The <c>iss</c> claim.</summary>
    public string Issuer { get; }

    /// <summary>The identity Fulcio will certify.</summary>
    public string Subject { get; }

    /// <summary>The <c>aud</c> values.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The <c>exp</c> claim.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Describes the token without revealing it.</summary>
    public override string ToString() => $"identity token for {Subject} from {Issuer} (expires {ExpiresAt:O})";
}
