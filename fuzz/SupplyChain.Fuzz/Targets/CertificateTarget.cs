using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Trust;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A DER certificate (a bundle's leaf or chain element): Core's own DER reader, the Fulcio extensions and SAN, the
/// extension profile, the embedded SCTs against the production CT logs, and issuance by the production Fulcio.
/// </summary>
internal sealed class CertificateTarget : FuzzTarget
{
    private static readonly Lazy<byte[]> ProductionIssuerKeyHash = new(() =>
    {
        CertificateAuthority authority = TrustedRoot.Production.CertificateAuthorities[^1];
        return SHA256.HashData(authority.Chain[0].PublicKey.ExportSubjectPublicKeyInfo());
    });

    public override string Name => "certificate";

    public override string Description => "DER X.509 certificate -> DER reader, Fulcio extensions, profile, SCTs, issuance";

    public override string Dictionary => "der.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        ReadOnlyMemory<byte> der = input.ToArray();
        CertificateDer certificate = CertificateDer.Parse(der);
        Step(() => FulcioCertificate.Parse(certificate));
        Step(() => CertificateProfile.From(certificate));
        Step(() => SctVerifier.Verify(certificate, ProductionIssuerKeyHash.Value, TrustedRoot.Production));
        Step(() => new FulcioChainVerifier(TrustedRoot.Production).Verify(certificate, certificate.NotBefore));

        // The public entry points take an X509Certificate2; what the BCL itself refuses to load is not ours to test.
        X509Certificate2 leaf;
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(der.Span);
        }
        catch (CryptographicException)
        {
            return;
        }

        using (leaf)
        {
            Step(() => FulcioCertificate.Parse(leaf));
            Step(() => new CertificateIssuanceVerifier(TrustedRoot.Production).Verify(leaf));
        }
    }
}
