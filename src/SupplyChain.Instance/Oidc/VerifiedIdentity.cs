namespace SupplyChain.Instance.Oidc;

/// <summary>What a verified identity token certifies.</summary>
/// <param name="Issuer">The token's <c>iss</c>.</param>
/// <param name="Identity">The SAN to certify: the verified email, else the URI <c>sub</c>.</param>
/// <param name="IsEmail">Whether <paramref name="Identity"/> is an email (rfc822Name) rather than a URI.</param>
/// <param name="Subject">The <c>sub</c> claim (what sigstore clients sign as proof of possession for generic issuers).</param>
/// <param name="CiExtensions">The Fulcio CI extensions of a simulated CI job token (empty for other tokens).</param>
internal sealed record VerifiedIdentity(string Issuer, string Identity, bool IsEmail, string Subject, IReadOnlyList<Ca.CiExtension> CiExtensions)
{
    public VerifiedIdentity(string issuer, string identity, bool isEmail, string subject)
        : this(issuer, identity, isEmail, subject, [])
    {
    }
}
