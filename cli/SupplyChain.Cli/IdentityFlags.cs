using System.CommandLine;

namespace SupplyChain.Cli;

/// <summary>
/// The certificate identity flags (cosign's names) shared by <c>verify-blob</c>, <c>verify IMAGE</c> and
/// <c>verify-attestation IMAGE</c>; each command owns its own instances (System.CommandLine symbols have one parent).
/// </summary>
internal sealed class IdentityFlags
{
    private readonly Option<string> _identity = new("--certificate-identity") { Description = "The exact certificate identity (SAN: workflow URI, email...).", HelpName = "ID" };
    private readonly Option<string> _identityRegexp = new("--certificate-identity-regexp") { Description = "A regular expression the certificate identity must match WHOLE (anchored \\A(?:...)\\z, unlike cosign).", HelpName = "REGEX" };
    private readonly Option<string> _issuer = new("--certificate-oidc-issuer") { Description = "The exact OIDC issuer of the certificate.", HelpName = "URL" };
    private readonly Option<string> _issuerRegexp = new("--certificate-oidc-issuer-regexp") { Description = "A regular expression the OIDC issuer must match whole (anchored).", HelpName = "REGEX" };

    /// <summary>The four options, in help order.</summary>
    public IReadOnlyList<Option> Options => [_identity, _identityRegexp, _issuer, _issuerRegexp];

    /// <summary>The values given (each may be null).</summary>
    public VerifyBlobCommand.PolicyFlags Read(ParseResult parse) =>
        new(parse.GetValue(_identity), parse.GetValue(_identityRegexp), parse.GetValue(_issuer), parse.GetValue(_issuerRegexp));

    /// <summary>Whether any identity flag was given.</summary>
    public bool AnyGiven(ParseResult parse) =>
        Read(parse) is var flags && (flags.Identity ?? flags.IdentityRegexp ?? flags.Issuer ?? flags.IssuerRegexp) is not null;
}
