using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Certificates;

/// <summary>The CA that issued a leaf, and the certificate that signed it.</summary>
/// <param name="Authority">The trusted CA.</param>
/// <param name="Issuer">The CA certificate whose key signed the leaf.</param>
internal sealed record ChainResult(CertificateAuthority Authority, X509Certificate2 Issuer);

/// <summary>Fulcio chain verification with custom root trust only (CONTRACT STUB).</summary>
internal sealed class FulcioChainVerifier
{
    /// <summary>Precomputes per-CA state: each CA chain's internal links verified once; issuer keys imported once.</summary>
    /// <param name="trust">The trusted material.</param>
    public FulcioChainVerifier(ITrustedMaterial trust) => _ = trust;

    /// <summary>
    /// Verifies that <paramref name="leaf"/> was issued by a trusted Fulcio CA valid at <paramref name="at"/>
    /// (CA validFor and every certificate validity), that the leaf is valid at <paramref name="at"/>, and that it
    /// is a code-signing leaf (RFC 5280: not a CA, digitalSignature key usage, id-kp-codeSigning EKU).
    /// Throws SC1301-SC1304.
    /// </summary>
    public ChainResult Verify(X509Certificate2 leaf, DateTimeOffset at) => throw new NotImplementedException();
}
