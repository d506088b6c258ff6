using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Tests.Signatures;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Signing.Tests.Interop;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// The image commands end to end through <see cref="CliApp"/>: signing against the in-process stub Fulcio/Rekor
/// (<see cref="FakeSigstore"/>), attaching to and verifying from the in-memory registry (its referrers API and tags).
/// </summary>
public sealed class ImageCommandTests : IDisposable
{
    private const string Password = "correct horse";
    private const string Repo = "registry.test:5000/team/app";
    private const string Subject = "https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-image-").FullName;
    private readonly FakeSigstore _fake = new();
    private readonly InMemoryRegistry _registry = new();
    private readonly string _root;
    private readonly string _key;
    private readonly string _pub;

    public ImageCommandTests()
    {
        _root = Write("trusted_root.json", _fake.TrustedRootBytes);
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        _key = Write("cosign.key", Encoding.ASCII.GetBytes(key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(Password))));
        _pub = Write("cosign.pub", Encoding.ASCII.GetBytes(key.PublicKeyPem));
    }

    public void Dispose()
    {
        _fake.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static ImageReference Repository => ImageReference.Parse(Repo);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private CliRun Run(params string[] args) => RunVia(_fake, args);

    /// <summary>Runs signcli with the signing services reached through <paramref name="services"/> (null: real HTTP).</summary>
    private CliRun RunVia(HttpMessageHandler? services, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var terminal = new EnvironmentOnly(new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, terminal, services, _ => _registry));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    private string[] Services() =>
        ["--trusted-root", _root, "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1"];

    private static string Token()
    {
        static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        long exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return B64Url("{\"alg\":\"ES256\",\"typ\":\"JWT\"}") + "." + B64Url($"{{\"iss\":\"{Issuer}\",\"sub\":\"{Subject}\",\"aud\":\"sigstore\",\"exp\":{exp}}}") + "." + B64Url("not-a-signature");
    }

    [Fact]
    public void Sign_with_a_key_resolves_the_tag_prints_the_digest_and_verify_with_the_key_passes()
    {
        OciDescriptor image = _registry.PushImage(Repository, "v1");

        CliRun sign = Run(["sign", Repo + ":v1", "--key", _key, .. Services()]);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Contains($"Signing {Repo}@{image.Digest}", sign.Stderr, StringComparison.Ordinal);

        CliRun verify = Run("verify", Repo + ":v1", "--key", _pub, "--trusted-root", _root);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("Verified OK: " + Repo + "@" + image.Digest, verify.Stderr, StringComparison.Ordinal);

        CliRun json = Run("verify", Repo + "@" + image.Digest, "--key", _pub, "--trusted-root", _root, "--output", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        JsonNode result = JsonNode.Parse(json.Stdout)!;
        Assert.Equal("application/vnd.supplychain.image-verification.v1+json", (string?)result["mediaType"]);
        Assert.Equal(image.Digest, (string?)result["imageDigest"]);
        Assert.Equal("referrer", (string?)result["signature"]!["format"]);
    }

    /// <summary>
    /// Keyless: the Sigstore project's @sigstore/mock Fulcio, Rekor v1 and TSA on 127.0.0.1 issue for our key and token.
    /// In the legacy format (a hashedrekord message signature, as sign-blob): the mock's Rekor answers DSSE entries with a
    /// body the signer rejects (SC2208), a signing-library/mock disagreement outside the image code.
    /// </summary>
    [NodeInteropFact("sigstore-mock")]
    public void Keyless_sign_and_verify_with_the_identity_flags()
    {
        using MockSigstoreServer mock = MockSigstoreServer.Start();
        string root = Write("mock_root.json", Encoding.UTF8.GetBytes(mock.TrustedRootJson));
        OciDescriptor image = _registry.PushImage(Repository, "v1");
        string token = Token();

        CliRun sign = RunVia(null, "sign", Repo + ":v1", "--legacy-format", "--identity-token", token, "--trusted-root", root, "--rekor-version", "1",
            "--fulcio-url", mock.BaseUrl.ToString(), "--rekor-url", mock.BaseUrl.ToString(), "--timestamp-server-url", new Uri(mock.BaseUrl, "api/v1/timestamp").ToString());
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.DoesNotContain(token, sign.Stderr + sign.Stdout, StringComparison.Ordinal);

        CliRun verify = Run("verify", Repo + "@" + image.Digest, "--certificate-identity", Subject, "--certificate-oidc-issuer", Issuer, "--trusted-root", root);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains(Subject, verify.Stderr, StringComparison.Ordinal);

        CliRun wrong = Run("verify", Repo + "@" + image.Digest, "--certificate-identity", "https://example.com/other", "--certificate-oidc-issuer", Issuer, "--trusted-root", root);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("SC4402", wrong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsigned_image_exits_5_and_a_failing_registry_exits_4_not_5()
    {
        OciDescriptor image = _registry.PushImage(Repository, "v1");

        CliRun unsigned = Run("verify", Repo + "@" + image.Digest, "--key", _pub, "--trusted-root", _root);
        Assert.Equal(5, unsigned.ExitCode);
        Assert.StartsWith("SC4401", unsigned.Stderr, StringComparison.Ordinal);

        _registry.ListReferrersFailure = new Core.Errors.ErrorCode("SC4998", Core.Errors.ErrorCategory.ServiceFailure, "throttled (test)").ToException("429");
        CliRun throttled = Run("verify", Repo + "@" + image.Digest, "--key", _pub, "--trusted-root", _root);
        Assert.Equal(4, throttled.ExitCode);
        Assert.StartsWith("SC4998", throttled.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_format_signs_into_the_sig_tag_and_verifies()
    {
        OciDescriptor image = _registry.PushImage(Repository, "v1");

        CliRun sign = Run(["sign", Repo + ":v1", "--key", _key, "--legacy-format", .. Services()]);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Contains(".sig", sign.Stderr, StringComparison.Ordinal);

        CliRun verify = Run("verify", Repo + ":v1", "--key", _pub, "--trusted-root", _root);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("legacy tag sha256-" + image.Digest[7..] + ".sig layer 0", verify.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Attest_and_verify_attestation_by_type_and_tree_lists_both()
    {
        _registry.PushImage(Repository, "v1");
        string predicate = Write("p.json", "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\"}}"u8.ToArray());

        CliRun attest = Run(["attest", Repo + ":v1", "--predicate", predicate, "--type", "slsaprovenance1", "--key", _key, .. Services()]);
        Assert.True(attest.ExitCode == 0, attest.ToString());
        CliRun sign = Run(["sign", Repo + ":v1", "--key", _key, "--legacy-format", .. Services()]);
        Assert.True(sign.ExitCode == 0, sign.ToString());

        CliRun verify = Run("verify-attestation", Repo + ":v1", "--type", "slsaprovenance1", "--key", _pub, "--trusted-root", _root);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("https://slsa.dev/provenance/v1", verify.Stderr, StringComparison.Ordinal);

        CliRun other = Run("verify-attestation", Repo + ":v1", "--type", "cyclonedx", "--key", _pub, "--trusted-root", _root);
        Assert.Equal(5, other.ExitCode);

        CliRun tree = Run("tree", Repo + ":v1");
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.Contains("Signatures", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains("Attestations", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains("legacy sha256-", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains("referrer sha256:", tree.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Recursive_signing_of_an_index_signs_each_platform_and_platform_verification_names_the_match()
    {
        OciDescriptor amd64 = _registry.PushImage(Repository, "amd64");
        OciDescriptor arm64 = _registry.PushImage(Repository, "arm64");
        OciDescriptor index = _registry.PushIndex(Repository, "multi", (amd64, "amd64"), (arm64, "arm64"));

        CliRun plain = Run(["sign", Repo + ":multi", "--key", _key, .. Services()]);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        CliRun viaIndex = Run("verify", Repo + ":multi", "--platform", "linux/arm64", "--key", _pub, "--trusted-root", _root, "--output", "json");
        Assert.True(viaIndex.ExitCode == 0, viaIndex.ToString());
        Assert.Equal(arm64.Digest, (string?)JsonNode.Parse(viaIndex.Stdout)!["imageDigest"]);
        Assert.Equal(index.Digest, (string?)JsonNode.Parse(viaIndex.Stdout)!["matchedDigest"]);
        Assert.Equal(5, Run("verify", Repo + "@" + arm64.Digest, "--key", _pub, "--trusted-root", _root).ExitCode);

        CliRun recursive = Run(["sign", Repo + ":multi", "--key", _key, "--recursive", .. Services()]);
        Assert.True(recursive.ExitCode == 0, recursive.ToString());
        Assert.Contains(arm64.Digest, recursive.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Run("verify", Repo + "@" + arm64.Digest, "--key", _pub, "--trusted-root", _root).ExitCode);
    }

    [Fact]
    public void Resolve_prints_the_digest_reference()
    {
        OciDescriptor image = _registry.PushImage(Repository, "v1");
        CliRun resolve = Run("resolve", Repo + ":v1");
        Assert.Equal(0, resolve.ExitCode);
        Assert.Equal(Repo + "@" + image.Digest, resolve.Stdout.Trim());
    }

    [Theory]
    [InlineData("SC6001", "verify", Repo + ":v1", "--insecure-ignore-tlog", "--certificate-identity", "a", "--certificate-oidc-issuer", "b")]
    [InlineData("SC4001", "verify", "UPPER/Case::bad", "--key", "k.pub")]
    [InlineData("SC4409", "verify-attestation", Repo + ":v1", "--type", "not a type", "--key", "k.pub")]
    [InlineData("SC4410", "verify", Repo + ":v1", "--platform", "linux", "--key", "k.pub")]
    public void Bad_input_exits_2_with_its_code(string code, params string[] args)
    {
        CliRun run = Run(args.Select(a => a == "k.pub" ? _pub : a).ToArray());
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(code, run.Stderr, StringComparison.Ordinal);
    }

    private sealed class EnvironmentOnly(Dictionary<string, string> variables) : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => variables.GetValueOrDefault(name);

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}
