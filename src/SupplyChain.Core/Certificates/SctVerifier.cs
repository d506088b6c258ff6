using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Certificates;

/// <summary>Embedded SCT verification (RFC 6962 section 3.3, CONTRACT STUB).</summary>
internal static class SctVerifier
{
    /// <summary>
    /// Verifies that at least one embedded SCT of <paramref name="leaf"/> is signed by a trusted CT log
    /// (valid at the SCT's timestamp) over the reconstructed precertificate. Throws SC1305/SC1306.
    /// </summary>
    public static void Verify(X509Certificate2 leaf, X509Certificate2 issuer, ITrustedMaterial trust) => throw new NotImplementedException();
}
