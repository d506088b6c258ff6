using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// sign-blob and attest-blob with <c>--key</c> end to end against the in-process fake Sigstore
/// (<see cref="FakeSigstore"/>: its Rekor v1 route, trusted beside the local instance), then verify-blob on the result.
/// </summary>
public sealed class SignBlobEndToEndTests : IDisposable
{
    private const string Password = "correct horse";
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-e2e-").FullName;
    private readonly FakeSigstore _fake = new();

    public void Dispose()
    {
        _fake.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private (string Key, string Pub) KeyPair()
    {
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        return (Write("cosign.key", Encoding.ASCII.GetBytes(key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(Password)))), Write("cosign.pub", Encoding.ASCII.GetBytes(key.PublicKeyPem)));
    }

    private CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var terminal = new EnvironmentOnly(new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, terminal, _fake));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    private string[] Services(string trustedRoot) =>
        ["--trusted-root", trustedRoot, "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1"];

    [Fact]
    public void Sign_blob_with_a_key_writes_a_key_hinted_bundle_that_verify_blob_accepts()
    {
        (string key, string pub) = KeyPair();
        string root = Write("trusted_root.json", _fake.TrustedRootBytes);
        string artifact = Write("a.txt", Encoding.UTF8.GetBytes("hello, signcli\n"));
        string bundle = Path.Combine(_dir, "a.sigstore.json");

        CliRun sign = Run(["sign-blob", artifact, "--bundle", bundle, "--key", key, .. Services(root)]);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.DoesNotContain(Password, sign.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", sign.Stderr + sign.Stdout, StringComparison.Ordinal);

        JsonNode json = JsonNode.Parse(File.ReadAllBytes(bundle))!;
        Assert.NotNull(json["verificationMaterial"]!["publicKey"]!["hint"]);
        Assert.NotNull(json["messageSignature"]);

        CliRun verify = Run("verify-blob", artifact, "--bundle", bundle, "--key", pub, "--trusted-root", root);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public void Attest_blob_with_a_key_writes_a_DSSE_bundle_over_an_in_toto_statement()
    {
        (string key, _) = KeyPair();
        string root = Write("trusted_root.json", _fake.TrustedRootBytes);
        string artifact = Write("a.txt", Encoding.UTF8.GetBytes("hello, signcli\n"));
        string predicate = Write("p.json", Encoding.UTF8.GetBytes("{\"buildDefinition\":{\"buildType\":\"https://example.com/t\"}}"));
        string bundle = Path.Combine(_dir, "a.att.sigstore.json");

        CliRun run = Run(["attest-blob", artifact, "--predicate", predicate, "--type", "slsaprovenance1", "--bundle", bundle, "--key", key, .. Services(root)]);
        Assert.True(run.ExitCode == 0, run.ToString());

        JsonNode json = JsonNode.Parse(File.ReadAllBytes(bundle))!;
        JsonNode envelope = json["dsseEnvelope"]!;
        Assert.Equal("application/vnd.in-toto+json", (string?)envelope["payloadType"]);
        JsonNode statement = JsonNode.Parse(Convert.FromBase64String((string)envelope["payload"]!))!;
        Assert.Equal("https://slsa.dev/provenance/v1", (string?)statement["predicateType"]);
        Assert.Equal("a.txt", (string?)statement["subject"]![0]!["name"]);
        Assert.NotNull(json["verificationMaterial"]!["publicKey"]!["hint"]);
    }

    private sealed class EnvironmentOnly(Dictionary<string, string> variables) : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => variables.GetValueOrDefault(name);

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}
