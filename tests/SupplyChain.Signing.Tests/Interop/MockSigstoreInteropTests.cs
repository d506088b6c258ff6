using System.Text;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;
using SupplyChain.Signing.Services;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Interop;

/// <summary>
/// BundleSigner against the Sigstore project's own mock services (@sigstore/mock): the bundles must verify with our
/// SigstoreVerifier and with sigstore-js.
/// </summary>
public class MockSigstoreInteropTests
{
    private const string Subject = "https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public async Task Keyless_message_bundle_verifies_with_ours_and_sigstore_js()
    {
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        byte[] artifact = Encoding.UTF8.GetBytes("hello from the interop test\n");
        using BundleSigner signer = NewSigner(mock, requireTimestamp: true);

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(artifact), Token())).ToJson();

        AssertVerifies(mock, bundle, artifact);
    }

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public async Task Keyless_message_bundle_without_timestamp_verifies_through_the_SET()
    {
        // No TSA: the Rekor v1 SET (inclusion promise) is the only signed time. (The mock Fulcio reads a CSR as a
        // PEM string, while fulcio.proto's bytes field is base64 in JSON, so the CSR variant is tested with stubs.)
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        byte[] artifact = Encoding.UTF8.GetBytes("set only");
        using BundleSigner signer = NewSigner(mock, requireTimestamp: false, withTsa: false);

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(artifact), Token())).ToJson();

        Assert.DoesNotContain("rfc3161Timestamps", Encoding.UTF8.GetString(bundle), StringComparison.Ordinal);
        AssertVerifies(mock, bundle, artifact);
    }

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public async Task Key_signed_bundle_verifies_with_ours_and_sigstore_js()
    {
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        byte[] artifact = Encoding.UTF8.GetBytes("signed with a key");
        using BundleSigner signer = NewSigner(mock, requireTimestamp: true);
        using var key = new EphemeralSigner();

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(artifact), key, token: null)).ToJson();

        var root = TrustedRoot.Parse(Encoding.UTF8.GetBytes(mock.TrustedRootJson));
        using (PublicKeyVerifier verifierKey = PublicKeyVerifier.FromSubjectPublicKeyInfo(key.PublicKeySpki.Span))
        {
            new SigstoreVerifier(root).Verify(SigstoreBundle.Parse(bundle), Artifact.FromBytes(artifact), VerificationPolicy.ForPublicKey(verifierKey));
        }

        string pem = Path.GetTempFileName();
        try
        {
            File.WriteAllText(pem, key.PublicKeyPem);
            AssertSigstoreJs(mock, bundle, artifact, "key:" + pem);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public async Task Keyless_dsse_bundle_is_refused_when_the_log_does_not_canonicalize_the_entry()
    {
        // The mock Rekor v1 stores the proposed dsse entry verbatim (proposedContent), where Rekor canonicalizes it
        // to envelopeHash/payloadHash/signatures (rekor pkg/types/dsse/v0.0.1). Such an entry does not describe our
        // envelope, so the signer must refuse it with SC2208 rather than return a bundle that fails elsewhere.
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        byte[] artifact = Encoding.UTF8.GetBytes("attested artifact");
        string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(artifact));
        byte[] statement = Encoding.UTF8.GetBytes(
            "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" + digest + "\"}}],\"predicateType\":\"https://example.com/p\",\"predicate\":{}}");
        using BundleSigner signer = NewSigner(mock, requireTimestamp: true);

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => signer.SignDsseAsync("application/vnd.in-toto+json", statement, Token()));

        Assert.Equal("SC2208", ex.Code);
    }

    internal static IdentityToken Token()
    {
        // The mock Fulcio decodes the JWT without checking its signature (strict mode needs a well-formed JWT).
        static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        DateTimeOffset exp = DateTimeOffset.UtcNow.AddMinutes(10);
        string raw = B64Url("{\"alg\":\"ES256\",\"typ\":\"JWT\"}") + "."
            + B64Url($"{{\"iss\":\"{Issuer}\",\"sub\":\"{Subject}\",\"aud\":\"sigstore\",\"exp\":{exp.ToUnixTimeSeconds()}}}") + "."
            + B64Url("not-a-signature");
        return new IdentityToken(raw, Issuer, Subject, ["sigstore"], exp);
    }

    private static BundleSigner NewSigner(MockSigstoreServer mock, bool requireTimestamp, bool withTsa = true) => new(new BundleSignerOptions
    {
        TrustedMaterial = TrustedRoot.Parse(Encoding.UTF8.GetBytes(mock.TrustedRootJson)),
        FulcioUrl = mock.BaseUrl,
        RekorUrl = mock.BaseUrl,
        TimestampAuthorityUrl = withTsa ? new Uri(mock.BaseUrl, "api/v1/timestamp") : null,
        RekorVersion = 1,
        RequireTimestamp = requireTimestamp,
    });

    private static void AssertVerifies(MockSigstoreServer mock, byte[] bundle, byte[] artifact)
    {
        var root = TrustedRoot.Parse(Encoding.UTF8.GetBytes(mock.TrustedRootJson));
        VerificationResult result = new SigstoreVerifier(root).Verify(
            SigstoreBundle.Parse(bundle),
            Artifact.FromBytes(artifact),
            VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(Subject, Issuer)));
        Assert.NotNull(result);
        AssertSigstoreJs(mock, bundle, artifact);
    }

    private static void AssertSigstoreJs(MockSigstoreServer mock, byte[] bundle, byte[] artifact, string identity = Subject)
    {
        string dir = Directory.CreateTempSubdirectory("sc-mock-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "bundle.json"), bundle);
            File.WriteAllText(Path.Combine(dir, "trusted_root.json"), mock.TrustedRootJson);
            File.WriteAllBytes(Path.Combine(dir, "artifact"), artifact);
            (int exit, string output) = NodeInterop.RunSigstoreJs(
                "verify.mjs", Path.Combine(dir, "bundle.json"), Path.Combine(dir, "trusted_root.json"), Path.Combine(dir, "artifact"), identity, Issuer);
            Assert.True(exit == 0, "sigstore-js: " + output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
