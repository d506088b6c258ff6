using System.Text;
using SupplyChain.Instance;
using SupplyChain.Signing.Keys;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Issue 14: key signing with a Rekor v2 log in the legacy format. The local instance's signing config names a Rekor v2
/// log (and its TSA); its services answer in process. A legacy <c>.sig</c>/<c>.att</c> layer can only carry a signed entry
/// timestamp, which Rekor v2 does not give, so the signer refuses (SC6040) before anything is logged or pushed; the OCI
/// 1.1 referrer signed against the same log verifies with the same key. Against Debian's docker-registry on 127.0.0.1.
/// </summary>
public sealed class LegacyFormatRekorV2Tests : IClassFixture<RegistryFixture>, IDisposable
{
    private const string Password = "correct horse";
    private readonly RegistryFixture _fixture;
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-legacy-v2-").FullName;
    private readonly LocalInstance _instance;
    private readonly HttpMessageHandler _services;
    private readonly string _key;
    private readonly string _pub;

    public LegacyFormatRekorV2Tests(RegistryFixture fixture)
    {
        _fixture = fixture;
        string instanceDir = Path.Combine(_dir, "instance");
        LocalInstance.Initialize(instanceDir);
        _instance = LocalInstance.Open(instanceDir);
        _services = _instance.CreateHttpHandler();
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        _key = Path.Combine(_dir, "k.key");
        File.WriteAllText(_key, key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(Password)));
        _pub = Path.Combine(_dir, "k.pub");
        File.WriteAllText(_pub, key.PublicKeyPem);
    }

    public void Dispose()
    {
        _services.Dispose();
        _instance.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private CliRun Run(params string[] args) =>
        CliRunner.RunWith(new TestEnvironment(new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password }), _services, null, args);

    private string[] InstanceServices() => ["--signing-config", _instance.SigningConfigPath, "--trusted-root", _instance.TrustedRootPath];

    [RegistryFact(needsImageTools: true)]
    public void Legacy_signing_with_a_Rekor_v2_log_is_refused_before_anything_is_pushed_and_the_referrer_round_trip_verifies()
    {
        string digest = UmociImages.BuildAndPush(_fixture.Registry, "legacy/rekor-v2", "v1").Trim();
        string image = $"{_fixture.Registry.Host}/legacy/rekor-v2:v1";
        string sigTag = $"{digest.Replace(':', '-')}.sig";
        long logged = _instance.LogSize;

        foreach (string[] command in new[] { new[] { "sign", image }, new[] { "attest", image, "--predicate", Predicate(), "--type", "custom" } })
        {
            CliRun refused = Run([.. command, "--key", _key, "--legacy-format", .. InstanceServices()]);
            CliRunner.AssertFails(refused, 2, "SC6040");
            Assert.Equal(
                "SC6040: the legacy cosign format cannot record a Rekor v2 log entry: the log selected (from the signing config or --rekor-version) is Rekor v2, "
                + "which gives no signed entry timestamp for the .sig/.att layer to carry; sign without --legacy-format (an OCI 1.1 referrer, which cosign 3 reads), "
                + "or log to Rekor v1 (--rekor-version 1, or --rekor-url)" + Environment.NewLine,
                refused.Stderr);
        }

        // Nothing was pushed (no legacy tag, no referrer) and nothing was logged.
        CliRun tree = Run("tree", image);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.DoesNotContain(sigTag, tree.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("referrer", tree.Stdout, StringComparison.Ordinal);
        Assert.Equal(logged, _instance.LogSize);

        // The same key and log, as an OCI 1.1 referrer: signed, then verified with the key (the round trip).
        CliRun signed = Run(["sign", image, "--key", _key, .. InstanceServices()]);
        Assert.True(signed.ExitCode == 0, signed.ToString());
        CliRun verified = Run("verify", image, "--key", _pub, "--trusted-root", _instance.TrustedRootPath);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(logged + 1, _instance.LogSize);
    }

    private string Predicate()
    {
        string path = Path.Combine(_dir, "predicate.json");
        File.WriteAllText(path, "{\"note\":\"legacy with Rekor v2\"}");
        return path;
    }
}
