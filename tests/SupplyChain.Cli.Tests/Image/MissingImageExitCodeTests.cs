using System.Text;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Issue 21.3: an image the registry does not have (a tag never pushed) is "not in the registry", exit 4 as docs/cli.md
/// gives registry errors, for every image command, against Debian's docker-registry (a real 404 MANIFEST_UNKNOWN).
/// </summary>
public sealed class MissingImageExitCodeTests : IClassFixture<RegistryFixture>, IDisposable
{
    private const string Password = "correct horse";
    private readonly RegistryFixture _fixture;
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-missing-").FullName;
    private readonly FakeSigstore _fake = new();

    public MissingImageExitCodeTests(RegistryFixture fixture) => _fixture = fixture;

    public void Dispose()
    {
        _fake.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [RegistryFact]
    public void Every_image_command_exits_4_for_an_image_the_registry_does_not_have()
    {
        string root = Path.Combine(_dir, "trusted_root.json");
        File.WriteAllBytes(root, _fake.TrustedRootBytes);
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        string keyPath = Path.Combine(_dir, "cosign.key");
        string pubPath = Path.Combine(_dir, "cosign.pub");
        File.WriteAllText(keyPath, key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(Password)));
        File.WriteAllText(pubPath, key.PublicKeyPem);
        string predicate = Path.Combine(_dir, "predicate.json");
        File.WriteAllText(predicate, "{}");
        string image = $"{_fixture.Registry.Host}/missing/app-{Guid.NewGuid():N}:never-pushed";
        string policy = Path.Combine(_dir, "policy.yaml");
        File.WriteAllText(policy, $$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: all
                images: ["**"]
                authorities: [{ name: k, key: { path: "{{pubPath}}" } }]
            """);
        string[] services = ["--trusted-root", root, "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1"];

        (string Code, string[] Args)[] cases =
        [
            ("SC4013", ["verify", image, "--key", pubPath, "--trusted-root", root]),
            ("SC4013", ["verify-attestation", image, "--type", "slsaprovenance1", "--key", pubPath, "--trusted-root", root]),
            ("SC4013", ["sign", image, "--key", keyPath, .. services]),
            ("SC4013", ["attest", image, "--predicate", predicate, "--key", keyPath, .. services]),
            ("SC4013", ["tree", image]),
            ("SC4013", ["resolve", image]),
            ("SC4610", ["lineage", image]),
            ("SC4610", ["verify", image, "--policy", policy, "--trusted-root", root]),
            ("SC4610", ["policy", "test", "--policy", policy, image, "--trusted-root", root]),
        ];
        foreach ((string code, string[] args) in cases)
        {
            CliRun run = Run(args);
            Assert.True(run.ExitCode == 4 && (run.Stderr + run.Stdout).Contains(code, StringComparison.Ordinal), $"{args[0]}: expected exit 4 with {code}; got {run}");
        }
    }

    private CliRun Run(string[] args) =>
        CliRunner.RunWith(new TestEnvironment(new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password }), _fake, null, args);
}
