using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Whose signature is acceptable: any of a set of certificate identities (keyless), or one public key.
/// An empty policy is an error, never a pass; verifying without an identity needs the explicitly named
/// <see cref="WithoutIdentityUnsafe"/>.
/// </summary>
public sealed class VerificationPolicy
{
    private VerificationPolicy(IReadOnlyList<CertificateIdentity> identities, PublicKeyVerifier? publicKey, bool skipIdentity)
    {
        Identities = identities;
        PublicKey = publicKey;
        SkipsIdentityCheck = skipIdentity;
    }

    /// <summary>Acceptable certificate identities (any of them); empty for key policies.</summary>
    public IReadOnlyList<CertificateIdentity> Identities { get; }

    /// <summary>The required signing key, for key-signed bundles.</summary>
    public PublicKeyVerifier? PublicKey { get; }

    /// <summary><see langword="true"/> only for <see cref="WithoutIdentityUnsafe"/>.</summary>
    public bool SkipsIdentityCheck { get; }

    /// <summary>Accepts a certificate matching any of <paramref name="identities"/>.</summary>
    /// <param name="identities">At least one identity.</param>
    /// <exception cref="TrustRootException">SC1604 when no identity is given.</exception>
    public static VerificationPolicy ForCertificateIdentities(params CertificateIdentity[] identities)
    {
        if (identities is null || identities.Length == 0 || identities.Any(i => i is null))
        {
            throw CoreErrors.PolicyEmpty.ToException("at least one certificate identity is required");
        }

        return new VerificationPolicy(identities.ToArray(), null, false);
    }

    /// <summary>Accepts a key-signed bundle whose signature verifies with <paramref name="publicKey"/>.</summary>
    /// <param name="publicKey">The signer's public key.</param>
    public static VerificationPolicy ForPublicKey(PublicKeyVerifier publicKey) =>
        new([], publicKey ?? throw CoreErrors.PolicyEmpty.ToException("the public key is missing"), false);

    /// <summary>
    /// UNSAFE: accepts any certificate the trusted CAs issued, whoever it names. Anyone who can get a
    /// certificate from the CA passes. For inspection tools only, never for admission decisions.
    /// </summary>
    public static VerificationPolicy WithoutIdentityUnsafe() => new([], null, true);

    /// <summary>
    /// The identity step alone (Core's step 6), for a signer already verified by <see cref="SigstoreVerifier"/> under
    /// <see cref="WithoutIdentityUnsafe"/>: one cryptographic verification can then serve several policies (as sigstore-go
    /// separates <c>WithoutIdentitiesUnsafe</c> from <c>WithCertificateIdentity</c>). Any of the identities must match
    /// entirely (SAN, issuer, every required extension). Passes for <see cref="WithoutIdentityUnsafe"/>.
    /// </summary>
    /// <param name="signer">The verified certificate signer.</param>
    /// <exception cref="VerificationFailedException">SC1601, SC1602 or SC1603 (the most specific); SC1607 for a key policy.</exception>
    public void EnforceIdentity(SignerInfo signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (SkipsIdentityCheck)
        {
            return;
        }

        if (PublicKey is not null)
        {
            throw CoreErrors.KeyMaterialMismatch.ToException("the signature is signed with a certificate; the policy names a key");
        }

        IdentityPolicyCheck.Enforce(Identities, signer.SubjectAlternativeName, signer.Issuer, signer.Extensions);
    }
}
