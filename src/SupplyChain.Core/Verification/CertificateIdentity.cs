using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Who must have signed (sigstore-go verify.CertificateIdentity): the certificate's subject alternative
/// name, its OIDC issuer, and optionally exact values of other Fulcio extensions, keyed by their
/// sigstore-go JSON names (for example <c>sourceRepositoryURI</c>, <c>githubWorkflowRef</c>).
/// </summary>
public sealed class CertificateIdentity
{
    /// <summary>Creates an identity.</summary>
    /// <param name="subjectAlternativeName">Matcher for the SAN (URI, email or Fulcio otherName).</param>
    /// <param name="issuer">Matcher for the OIDC issuer extension.</param>
    /// <param name="extensions">Exact values other Fulcio extensions must have, or <see langword="null"/>.</param>
    public CertificateIdentity(StringMatcher subjectAlternativeName, StringMatcher issuer, IReadOnlyDictionary<string, string>? extensions = null)
    {
        SubjectAlternativeName = subjectAlternativeName ?? throw CoreErrors.PolicyEmpty.ToException("the identity needs a subject alternative name matcher");
        Issuer = issuer ?? throw CoreErrors.PolicyEmpty.ToException("the identity needs an OIDC issuer matcher");
        Extensions = extensions ?? new Dictionary<string, string>();
    }

    /// <summary>Matcher for the subject alternative name.</summary>
    public StringMatcher SubjectAlternativeName { get; }

    /// <summary>Matcher for the OIDC issuer.</summary>
    public StringMatcher Issuer { get; }

    /// <summary>Required exact values of other Fulcio extensions.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; }

    /// <summary>An identity with an exact SAN and an exact issuer.</summary>
    /// <param name="subjectAlternativeName">The SAN, such as a workflow URI or an email.</param>
    /// <param name="issuer">The OIDC issuer URL.</param>
    public static CertificateIdentity Exact(string subjectAlternativeName, string issuer) =>
        new(StringMatcher.Exact(subjectAlternativeName), StringMatcher.Exact(issuer));
}
