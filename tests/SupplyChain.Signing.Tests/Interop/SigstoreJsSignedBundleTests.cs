using System.Security.Cryptography;
using System.Text;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Interop;

/// <summary>
/// The other direction of <see cref="MockSigstoreInteropTests"/>: bundles signed by sigstore-js (tests/interop/sigstore-js/sign.mjs)
/// against the same @sigstore/mock Fulcio, Rekor v1 and TSA must verify with our <see cref="SigstoreVerifier"/>.
/// </summary>
public class SigstoreJsSignedBundleTests
{
    private const string Subject = "https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public void Message_signature_bundle_signed_by_sigstore_js_verifies_with_ours()
    {
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        byte[] artifact = Encoding.UTF8.GetBytes("signed by sigstore-js\n");

        byte[] bundle = SignWithSigstoreJs(mock, "message", artifact);

        SigstoreBundle parsed = SigstoreBundle.Parse(bundle);
        VerificationResult result = Verifier(mock).Verify(
            parsed, Artifact.FromBytes(artifact), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(Subject, Issuer)));
        Assert.Equal(Subject, result.Signer.SubjectAlternativeName);
        Assert.Equal(Issuer, result.Signer.Issuer);
        // sigstore-js asked the TSA for an RFC 3161 timestamp and the mock Rekor v1 returned an inclusion promise.
        Assert.Contains("rfc3161Timestamps", Encoding.UTF8.GetString(bundle), StringComparison.Ordinal);
        Assert.NotEmpty(result.VerifiedTimes);
    }

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public void Message_signature_bundle_signed_by_sigstore_js_is_refused_for_another_identity_or_artifact()
    {
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        byte[] artifact = Encoding.UTF8.GetBytes("signed by sigstore-js\n");
        SigstoreBundle bundle = SigstoreBundle.Parse(SignWithSigstoreJs(mock, "message", artifact));
        SigstoreVerifier verifier = Verifier(mock);

        Assert.ThrowsAny<SupplyChainException>(() => verifier.Verify(
            bundle, Artifact.FromBytes(artifact), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(Subject + "x", Issuer))));
        Assert.ThrowsAny<SupplyChainException>(() => verifier.Verify(
            bundle, Artifact.FromBytes(Encoding.UTF8.GetBytes("another artifact")), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(Subject, Issuer))));
    }

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public void Dsse_bundle_signed_by_sigstore_js_is_refused_by_ours_as_by_sigstore_js()
    {
        // sigstore.attest works against the mock, but the mock Rekor v1 stores the proposed dsse entry verbatim
        // (Rekor canonicalizes it to envelopeHash/payloadHash/signatures), so the log entry does not describe the
        // envelope: sigstore-js's own verifier refuses the bundle (TLOG_BODY_ERROR) and ours must refuse it too (SC1205).
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        byte[] artifact = Encoding.UTF8.GetBytes("attested by sigstore-js\n");
        byte[] bundle = SignWithSigstoreJs(mock, "dsse", artifact);
        Assert.Contains("dsseEnvelope", Encoding.UTF8.GetString(bundle), StringComparison.Ordinal);

        var ex = Assert.ThrowsAny<SupplyChainException>(() => Verifier(mock).Verify(
            SigstoreBundle.Parse(bundle),
            Artifact.FromDigest(HashAlgorithmName.SHA256, SHA256.HashData(artifact)),
            VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(Subject, Issuer))));
        Assert.Equal("SC1205", ex.Code); // the log entry body cannot be parsed (sigstore-js: TLOG_BODY_ERROR)
        Assert.False(SigstoreJsVerifies(mock, bundle, artifact), "sigstore-js accepted the non-canonical dsse entry");
    }

    private static SigstoreVerifier Verifier(MockSigstoreServer mock) => new(TrustedRoot.Parse(Encoding.UTF8.GetBytes(mock.TrustedRootJson)));

    private static byte[] SignWithSigstoreJs(MockSigstoreServer mock, string mode, byte[] artifact)
    {
        string dir = Directory.CreateTempSubdirectory("sc-js-sign-").FullName;
        try
        {
            string artifactPath = Path.Combine(dir, "artifact.txt");
            string bundlePath = Path.Combine(dir, "bundle.json");
            File.WriteAllBytes(artifactPath, artifact);
            (int exit, string output) = NodeInterop.RunSigstoreJs(
                "sign.mjs", mode, artifactPath, bundlePath, mock.BaseUrl.ToString(), MockSigstoreInteropTests.Token().RawToken);
            Assert.True(exit == 0, "sigstore-js sign.mjs: " + output);
            return File.ReadAllBytes(bundlePath);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool SigstoreJsVerifies(MockSigstoreServer mock, byte[] bundle, byte[] artifact)
    {
        string dir = Directory.CreateTempSubdirectory("sc-js-verify-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "bundle.json"), bundle);
            File.WriteAllText(Path.Combine(dir, "trusted_root.json"), mock.TrustedRootJson);
            File.WriteAllBytes(Path.Combine(dir, "artifact"), artifact);
            (int exit, _) = NodeInterop.RunSigstoreJs(
                "verify.mjs", Path.Combine(dir, "bundle.json"), Path.Combine(dir, "trusted_root.json"), Path.Combine(dir, "artifact"), Subject, Issuer);
            return exit == 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
