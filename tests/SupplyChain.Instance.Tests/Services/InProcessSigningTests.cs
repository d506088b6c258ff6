using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Instance.Tests.Services;

/// <summary>BundleSigner against the instance in process (no socket): message and DSSE bundles, public key and CSR requests, the log growing.</summary>
public sealed class InProcessSigningTests : IDisposable
{
    private readonly TempInstance _temp = new();

    public void Dispose() => _temp.Dispose();

    private BundleSigner Signer(bool csr = false) => new(new BundleSignerOptions
    {
        TrustedMaterial = _temp.Instance.LoadTrustedRoot(),
        SigningConfig = _temp.Instance.LoadSigningConfig(),
        HttpHandler = _temp.Instance.CreateHttpHandler(),
        UseCertificateSigningRequest = csr,
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_message_bundle_is_rekor_v2_timestamped_and_verifies_for_the_local_identity(bool csr)
    {
        using BundleSigner signer = Signer(csr);
        IdentityToken token = _temp.Instance.MintIdentityToken();
        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(LocalVerification.Artifact), token)).ToJson();

        TrustedRoot root = _temp.Instance.LoadTrustedRoot();
        VerificationResult result = LocalVerification.Verify(root, bundle);
        Assert.True(result.IdentityChecked);
        JsonNode entry = JsonNode.Parse(bundle)!["verificationMaterial"]!["tlogEntries"]![0]!;
        Assert.Equal("0.0.2", (string?)entry["kindVersion"]!["version"]);
        Assert.Single(JsonNode.Parse(bundle)!["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]!.AsArray());
        Assert.Equal(1, _temp.Instance.LogSize);

        // Another identity or issuer does not pass.
        Assert.Equal("SC1601", Assert.ThrowsAny<Core.Errors.SupplyChainException>(() => LocalVerification.Verify(root, bundle, identity: "someone@else.test")).Code);
    }

    [Fact]
    public async Task A_dsse_bundle_is_logged_as_hashedrekord_over_the_pae_and_verifies()
    {
        using BundleSigner signer = Signer();
        byte[] bundle = (await signer.SignDsseAsync("application/vnd.in-toto+json", LocalVerification.Statement(LocalVerification.Artifact), _temp.Instance.MintIdentityToken())).ToJson();
        LocalVerification.Verify(_temp.Instance.LoadTrustedRoot(), bundle);
        Assert.Equal("hashedrekord", (string?)JsonNode.Parse(bundle)!["verificationMaterial"]!["tlogEntries"]![0]!["kindVersion"]!["kind"]);
    }

    [Fact]
    public async Task Entries_accumulate_and_the_log_verifies_after_reopening()
    {
        using (BundleSigner signer = Signer())
        {
            for (int i = 0; i < 5; i++)
            {
                await signer.SignMessageAsync(new MemoryStream([(byte)i]), _temp.Instance.MintIdentityToken());
            }
        }

        Assert.Equal(5, _temp.Instance.LogSize);
        Instance.Log.LogVerificationReport report = LocalInstance.VerifyLog(_temp.Directory);
        Assert.Equal(5, report.Checkpoint.Size);
        Assert.Equal(5, report.EntriesChecked);
    }
}
