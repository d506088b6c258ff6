using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Certificates;

/// <summary>
/// What a signer must check of the certificate a Fulcio instance just issued, before it signs with it or logs
/// anything in public (Sigstore client spec, "Certificate Issuance": the client verifies the chain up to a trusted
/// root and "verify the SCT"): the leaf chains to a certificate authority of the trusted material and is a
/// code-signing leaf, at its own notBefore (it was issued just now), and it carries an embedded SCT by a trusted CT
/// log (RFC 6962 section 3.3). Built once per trusted material (CA chains checked and keys imported up front);
/// thread-safe.
/// </summary>
public sealed class CertificateIssuanceVerifier
{
    private readonly ITrustedMaterial _trust;
    private readonly FulcioChainVerifier _chain;

    /// <summary>Builds the verifier.</summary>
    /// <param name="trust">The trusted material: its certificate authorities and CT logs.</param>
    public CertificateIssuanceVerifier(ITrustedMaterial trust)
    {
        _trust = trust ?? throw new ArgumentNullException(nameof(trust));
        _chain = new FulcioChainVerifier(trust);
    }

    /// <summary>Checks <paramref name="leaf"/> as issued: trusted chain at its notBefore, code-signing profile, trusted SCT.</summary>
    /// <param name="leaf">The certificate Fulcio returned.</param>
    /// <returns>The trusted certificate authority that issued it.</returns>
    /// <exception cref="VerificationFailedException">SC1301-SC1304 for the chain or profile, SC1305/SC1306 for the SCT.</exception>
    /// <exception cref="MalformedInputException">SC1307 when the certificate cannot be parsed.</exception>
    public CertificateAuthority Verify(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        CertificateDer certificate = CertificateDer.Parse(leaf.RawDataMemory);
        ChainResult chain = _chain.Verify(certificate, certificate.NotBefore);
        SctVerifier.Verify(certificate, chain.IssuerKeyHash, _trust);
        return chain.Authority;
    }
}
