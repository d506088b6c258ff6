using System.Text;
using SupplyChain.Signing.Tests.Interop;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// Keyless `signcli sign-blob` against the Sigstore project's own @sigstore/mock Fulcio, Rekor v1 and TSA on
/// 127.0.0.1; the bundle must verify with `signcli verify-blob` and with sigstore-js.
/// </summary>
public class SignBlobAgainstMockSigstoreTests
{
    private const string Subject = "https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";

    [NodeInteropFact("sigstore-mock", "sigstore-js")]
    public async Task Keyless_sign_blob_verifies_with_verify_blob_and_sigstore_js()
    {
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        string dir = Directory.CreateTempSubdirectory("sc-signcli-").FullName;
        try
        {
            string artifact = Path.Combine(dir, "artifact.txt");
            string bundle = Path.Combine(dir, "artifact.sigstore.json");
            string trustedRoot = Path.Combine(dir, "trusted_root.json");
            File.WriteAllText(artifact, "signed by signcli against @sigstore/mock\n");
            File.WriteAllText(trustedRoot, mock.TrustedRootJson);
            string token = Token();

            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = await CliApp.RunAsync(
                ["sign-blob", artifact, "--bundle", bundle, "--identity-token", token, "--trusted-root", trustedRoot, "--rekor-version", "1",
                 "--fulcio-url", mock.BaseUrl.ToString(), "--rekor-url", mock.BaseUrl.ToString(), "--timestamp-server-url", new Uri(mock.BaseUrl, "api/v1/timestamp").ToString()],
                stdout,
                stderr);
            Assert.True(exit == 0, stderr.ToString());
            Assert.DoesNotContain(token, stdout.ToString() + stderr.ToString(), StringComparison.Ordinal);

            var verifyErr = new StringWriter();
            int verified = await CliApp.RunAsync(
                ["verify-blob", artifact, "--bundle", bundle, "--trusted-root", trustedRoot, "--certificate-identity", Subject, "--certificate-oidc-issuer", Issuer],
                new StringWriter(),
                verifyErr);
            Assert.True(verified == 0, verifyErr.ToString());
            Assert.Contains("Verified OK", verifyErr.ToString(), StringComparison.Ordinal);

            (int jsExit, string jsOutput) = NodeInterop.RunSigstoreJs("verify.mjs", bundle, trustedRoot, artifact, Subject, Issuer);
            Assert.True(jsExit == 0, "sigstore-js: " + jsOutput);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A well-formed JWT; the mock Fulcio does not check its signature, signcli checks expiry and audience.</summary>
    private static string Token()
    {
        static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        long exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return B64Url("{\"alg\":\"ES256\",\"typ\":\"JWT\"}") + "." + B64Url($"{{\"iss\":\"{Issuer}\",\"sub\":\"{Subject}\",\"aud\":\"sigstore\",\"exp\":{exp}}}") + "." + B64Url("not-a-signature");
    }
}
