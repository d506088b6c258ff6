using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>Matches a Fulcio certificate against a policy's identities (any of them must match entirely).</summary>
internal static class IdentityPolicyCheck
{
    public static void Enforce(IReadOnlyList<CertificateIdentity> identities, FulcioCertificate certificate)
    {
        // The most specific failure wins: a SAN that matched nowhere is reported before an issuer mismatch.
        ErrorCode failure = CoreErrors.IdentityMismatch;
        foreach (CertificateIdentity identity in identities)
        {
            if (!identity.SubjectAlternativeName.Matches(certificate.SubjectAlternativeName))
            {
                continue;
            }

            if (!identity.Issuer.Matches(certificate.Issuer))
            {
                failure = CoreErrors.IssuerMismatch;
                continue;
            }

            bool extensionsMatch = identity.Extensions.All(required =>
                certificate.Extensions.TryGetValue(required.Key, out string? actual) && string.Equals(actual, required.Value, StringComparison.Ordinal));
            if (extensionsMatch)
            {
                return;
            }

            failure = CoreErrors.ExtensionMismatch;
        }

        // Like cosign, say what the certificate holds: identities are not secrets, and the mismatch is the user's next question.
        string got = $"the certificate names '{certificate.SubjectAlternativeName ?? "(no SAN)"}' issued by '{certificate.Issuer ?? "(no issuer)"}'";
        throw failure.ToException(failure == CoreErrors.IdentityMismatch
            ? $"{got}; expected {string.Join(" or ", identities.Select(i => i.SubjectAlternativeName.Description))}"
            : failure == CoreErrors.IssuerMismatch
                ? $"{got}; expected issuer {string.Join(" or ", identities.Select(i => i.Issuer.Description))}"
                : $"{got}; a required extension value differs");
    }
}
