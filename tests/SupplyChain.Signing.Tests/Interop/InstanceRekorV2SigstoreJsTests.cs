using System.Text;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Interop;

/// <summary>
/// Rekor v2 is not faithfully served by @sigstore/mock (its v2 entry body is the request, not a hashedrekord 0.0.2
/// body), so Rekor v2 + TSA bundles are produced against the local instance (through <see cref="FakeSigstore"/>) and
/// checked with sigstore-js.
/// </summary>
public class InstanceRekorV2SigstoreJsTests
{
    [NodeInteropFact]
    public async Task Rekor_v2_bundle_with_timestamp_verifies_with_sigstore_js()
    {
        using var fake = new FakeSigstore();
        using BundleSigner signer = fake.CreateSigner(rekorVersion: 2, tsa: true);
        byte[] artifact = Encoding.UTF8.GetBytes("rekor v2 artifact");
        IdentityToken token = fake.Token();

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(artifact), fake.Signer, token)).ToJson();

        string dir = Directory.CreateTempSubdirectory("sc-v2-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "bundle.json"), bundle);
            File.WriteAllText(Path.Combine(dir, "trusted_root.json"), fake.TrustedRootJson);
            File.WriteAllBytes(Path.Combine(dir, "artifact"), artifact);
            (int exit, string output) = NodeInterop.RunSigstoreJs(
                "verify.mjs", Path.Combine(dir, "bundle.json"), Path.Combine(dir, "trusted_root.json"), Path.Combine(dir, "artifact"), FakeSigstore.Identity, FakeSigstore.Issuer);
            Assert.True(exit == 0, "sigstore-js: " + output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
