using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>Matches a certificate's identity (SAN, issuer, extensions) against a policy's identities (any of them must match entirely).</summary>
internal static class IdentityPolicyCheck
{
    public static void Enforce(IReadOnlyList<CertificateIdentity> identities, FulcioCertificate certificate) =>
        Enforce(identities, certificate.SubjectAlternativeName, certificate.Issuer, certificate.Extensions);

    public static void Enforce(IReadOnlyList<CertificateIdentity> identities, string? subjectAlternativeName, string? issuer, IReadOnlyDictionary<string, string> extensions)
    {
        // The most specific failure wins: a SAN that matched nowhere is reported before an issuer mismatch.
        ErrorCode failure = CoreErrors.IdentityMismatch;
        foreach (CertificateIdentity identity in identities)
        {
            if (!identity.SubjectAlternativeName.Matches(subjectAlternativeName))
            {
                continue;
            }

            if (!identity.Issuer.Matches(issuer))
            {
                failure = CoreErrors.IssuerMismatch;
                continue;
            }

            bool extensionsMatch = identity.Extensions.All(required =>
                extensions.TryGetValue(required.Key, out string? actual) && string.Equals(actual, required.Value, StringComparison.Ordinal));
            if (extensionsMatch)
            {
                return;
            }

            failure = CoreErrors.ExtensionMismatch;
        }

        // Like cosign, say what the certificate holds: identities are not secrets, and the mismatch is the user's next question.
        string got = $"the certificate names '{subjectAlternativeName ?? "(no SAN)"}' issued by '{issuer ?? "(no issuer)"}'";
        throw failure.ToException(failure == CoreErrors.IdentityMismatch
            ? $"{got}; expected {string.Join(" or ", identities.Select(i => i.SubjectAlternativeName.Description))}"
            : failure == CoreErrors.IssuerMismatch
                ? $"{got}; expected issuer {string.Join(" or ", identities.Select(i => i.Issuer.Description))}"
                : $"{got}; a required extension value differs");
    }
}
