using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Matches a signer that Core verified WITHOUT an identity (<see cref="VerificationPolicy.WithoutIdentityUnsafe"/>:
/// every check but the identity) against a policy's certificate identities, so that one cryptographic verification
/// serves every authority (as sigstore-go separates <c>verify.WithoutIdentitiesUnsafe</c> from
/// <c>verify.WithCertificateIdentity</c>). Same rule as Core's identity step: any identity must match entirely (SAN,
/// issuer, every required extension); the most specific failure is reported (SC1601, SC1602, SC1603).
/// </summary>
internal static class SignerIdentityMatch
{
    public static SupplyChainException? Check(IReadOnlyList<CertificateIdentity> identities, SignerInfo signer)
    {
        ErrorCode failure = CoreErrors.IdentityMismatch;
        foreach (CertificateIdentity identity in identities)
        {
            if (!identity.SubjectAlternativeName.Matches(signer.SubjectAlternativeName))
            {
                continue;
            }

            if (!identity.Issuer.Matches(signer.Issuer))
            {
                failure = CoreErrors.IssuerMismatch;
                continue;
            }

            if (identity.Extensions.All(required => signer.Extensions.TryGetValue(required.Key, out string? actual) && string.Equals(actual, required.Value, StringComparison.Ordinal)))
            {
                return null;
            }

            failure = CoreErrors.ExtensionMismatch;
        }

        return failure.ToException($"the certificate names '{signer.SubjectAlternativeName ?? "(no SAN)"}' issued by '{signer.Issuer ?? "(no issuer)"}'");
    }
}
