using System.Text;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary><c>sign</c>/<c>verify IMAGE</c> against docker-registry behind htpasswd basic auth: credentials from the flags and from the environment.</summary>
public sealed class ImageBasicAuthTests : IClassFixture<BasicAuthRegistryFixture>, IDisposable
{
    private const string Password = "correct horse";
    private readonly BasicAuthRegistryFixture _fixture;
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-auth-").FullName;
    private readonly FakeSigstore _fake = new();

    public ImageBasicAuthTests(BasicAuthRegistryFixture fixture) => _fixture = fixture;

    public void Dispose()
    {
        _fake.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private CliRun Run(Dictionary<string, string> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        environment["COSIGN_PASSWORD"] = Password;
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, new Env(environment), _fake));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    [RegistryFact(needsImageTools: true)]
    public void Credentials_from_flags_and_environment_sign_and_verify_and_none_is_refused()
    {
        (string user, string password) = _fixture.Registry.Credentials!.Value;
        UmociImages.BuildAndPush(_fixture.Registry, "auth/app", "v1");
        string image = _fixture.Registry.Host + "/auth/app:v1";
        string root = Path.Combine(_dir, "trusted_root.json");
        File.WriteAllBytes(root, _fake.TrustedRootBytes);
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        string keyPath = Path.Combine(_dir, "cosign.key");
        string pubPath = Path.Combine(_dir, "cosign.pub");
        File.WriteAllText(keyPath, key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(Password)));
        File.WriteAllText(pubPath, key.PublicKeyPem);

        CliRun sign = Run([], "sign", image, "--key", keyPath, "--registry-username", user, "--registry-password", password,
            "--trusted-root", root, "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1");
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.DoesNotContain(password, sign.Stderr + sign.Stdout, StringComparison.Ordinal);

        CliRun verify = Run(new() { ["REGISTRY_USERNAME"] = user, ["REGISTRY_PASSWORD"] = password, ["DOCKER_CONFIG"] = _dir }, "verify", image, "--key", pubPath, "--trusted-root", root);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        CliRun anonymous = Run(new() { ["DOCKER_CONFIG"] = _dir }, "verify", image, "--key", pubPath, "--trusted-root", root);
        Assert.Equal(3, anonymous.ExitCode);
        Assert.StartsWith("SC4004", anonymous.Stderr, StringComparison.Ordinal);
    }

    private sealed class Env(Dictionary<string, string> variables) : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => variables.GetValueOrDefault(name);

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}
