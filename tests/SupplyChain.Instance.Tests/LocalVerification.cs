using System.Text;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Instance.Tests;

/// <summary>Verifies bundles made with an instance with Core's verifier against the instance's trusted root.</summary>
internal static class LocalVerification
{
    public const string Identity = "local-user@supplychain.localhost";
    public const string Issuer = "https://oidc.supplychain.localhost";

    public static readonly byte[] Artifact = Encoding.UTF8.GetBytes("hello from the local instance\n");

    public static VerificationResult Verify(TrustedRoot root, byte[] bundleJson, string identity = Identity, string issuer = Issuer, byte[]? artifact = null) =>
        new SigstoreVerifier(root).Verify(
            SigstoreBundle.Parse(bundleJson),
            Core.Verification.Artifact.FromBytes(artifact ?? Artifact),
            VerificationPolicy.ForCertificateIdentities(new CertificateIdentity(StringMatcher.Exact(identity), StringMatcher.Exact(issuer))));

    public static byte[] Statement(byte[] artifact)
    {
        string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(artifact));
        return Encoding.UTF8.GetBytes($"{{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{{\"name\":\"a.txt\",\"digest\":{{\"sha256\":\"{digest}\"}}}}],\"predicateType\":\"https://example.test/p\",\"predicate\":{{}}}}");
    }
}
