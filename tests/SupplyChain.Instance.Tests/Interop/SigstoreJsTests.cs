using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SupplyChain.Signing.Bundles;
using SupplyChain.Testing;

namespace SupplyChain.Instance.Tests.Interop;

/// <summary>
/// sigstore-js as the independent peer: it verifies bundles made in process with the instance (given the instance's
/// trusted_root.json), and it signs against <c>instance serve</c> from the instance's signing config (Rekor v2:
/// hashedrekord and dsse 0.0.2 requests, the TSA's JSON form) with a token from the token endpoint; our verifier
/// accepts what it made.
/// </summary>
public sealed class SigstoreJsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-instance-js-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [NodeInteropFact]
    public async Task Bundles_signed_in_process_verify_with_sigstore_js()
    {
        using var temp = new TempInstance();
        using var signer = new BundleSigner(new BundleSignerOptions
        {
            TrustedMaterial = temp.Instance.LoadTrustedRoot(),
            SigningConfig = temp.Instance.LoadSigningConfig(),
            HttpHandler = temp.Instance.CreateHttpHandler(),
        });
        string artifact = Write("a.txt", LocalVerification.Artifact);
        string message = Write("message.json", (await signer.SignMessageAsync(new MemoryStream(LocalVerification.Artifact), temp.Instance.MintIdentityToken())).ToJson());
        string dsse = Write("dsse.json", (await signer.SignDsseAsync("application/vnd.in-toto+json", LocalVerification.Statement(LocalVerification.Artifact), temp.Instance.MintIdentityToken())).ToJson());

        foreach (string bundle in new[] { message, dsse })
        {
            (int exit, string output) = NodeInterop.RunSigstoreJs("verify.mjs", bundle, temp.Instance.TrustedRootPath, artifact, LocalVerification.Identity, LocalVerification.Issuer);
            Assert.True(exit == 0 && output == "OK", output);
        }

        // Not for another identity: the check is real.
        (int wrong, string why) = NodeInterop.RunSigstoreJs("verify.mjs", message, temp.Instance.TrustedRootPath, artifact, "someone@else.test", LocalVerification.Issuer);
        Assert.True(wrong != 0, why);
    }

    [NodeInteropFact]
    public async Task Sigstore_js_signs_against_the_served_instance_with_rekor_v2_and_our_verifier_accepts_it()
    {
        await using ServedInstance served = await ServedInstance.StartAsync();
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.PostAsync(new Uri(served.Url, "oidc/token"), null);
        string token = (string)(await response.Content.ReadFromJsonAsync<JsonNode>())!["id_token"]!;
        string artifact = Write("a.txt", LocalVerification.Artifact);

        foreach (string mode in new[] { "message", "dsse" })
        {
            string bundle = Path.Combine(_dir, mode + ".js.json");
            (int exit, string output) = NodeInterop.RunSigstoreJs("sign-config.mjs", mode, artifact, bundle, served.SigningConfigPath, token);
            Assert.True(exit == 0 && output == "OK", output);

            JsonNode entry = JsonNode.Parse(File.ReadAllBytes(bundle))!["verificationMaterial"]!["tlogEntries"]![0]!;
            Assert.Equal(mode == "message" ? "hashedrekord" : "dsse", (string?)entry["kindVersion"]!["kind"]);
            Assert.Equal("0.0.2", (string?)entry["kindVersion"]!["version"]);
            LocalVerification.Verify(served.Temp.Instance.LoadTrustedRoot(), File.ReadAllBytes(bundle));
        }

        Assert.Equal(2, served.Temp.Instance.LogSize);
    }
}
