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
}
