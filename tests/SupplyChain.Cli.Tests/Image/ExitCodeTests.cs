using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing.Oci;
using OciTestRegistry = SupplyChain.Oci.Tests.Signatures.InMemoryRegistry;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Issue 21.3: every exit code each image command can give, as docs/cli.md's table says (0 done, 1 verification failed,
/// 2 malformed input, 3 trust root or configuration, 4 registry or service failure, 5 nothing attached), with the
/// error code that led there. Through the in-memory registry; a registry that fails every call stands for auth (SC4004)
/// and network (SC4002) failures. The missing-tag case against a real registry is <see cref="MissingImageExitCodeTests"/>;
/// <c>admission review</c>'s are in Admission/AdmissionReviewCommandTests.
/// </summary>
public sealed class ExitCodeTests : IDisposable
{
    private const string Password = "correct horse";
    private const string Repo = "registry.test:5000/team/app";
    private const string BadReference = "UPPER/Case::bad";
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-exit-").FullName;
    private readonly FakeSigstore _fake = new();
    private readonly OciTestRegistry _registry = new();
    private readonly string _root;
    private readonly string _badRoot;
    private readonly string _key;
    private readonly string _pub;
    private readonly string _otherPub;
    private readonly string _predicate;

    public ExitCodeTests()
    {
        _root = Write("trusted_root.json", _fake.TrustedRootBytes);
        _badRoot = Write("bad_root.json", "{\"mediaType\": 42}"u8.ToArray());
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        using KeyFileSigner other = KeyFileSigner.GenerateEcdsaP256();
        _key = Write("cosign.key", Encoding.ASCII.GetBytes(key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(Password))));
        _pub = Write("cosign.pub", Encoding.ASCII.GetBytes(key.PublicKeyPem));
        _otherPub = Write("other.pub", Encoding.ASCII.GetBytes(other.PublicKeyPem));
        _predicate = Write("predicate.json", "{\"k\":\"v\"}"u8.ToArray());
    }

    public void Dispose()
    {
        _fake.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static ImageReference Repository => ImageReference.Parse(Repo);

    private static FailingRegistry Unauthorized => new(OciErrors.RegistryAuthFailed.ToException("HTTP 401 (test)"));

    private static FailingRegistry Unreachable => new(OciErrors.RegistryUnreachable.ToException("connection refused (test)"));

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string[] Services(string? root = null) =>
        ["--trusted-root", root ?? _root, "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1"];

    private CliRun Run(IOciRegistry registry, params string[] args) =>
        CliRunner.RunWith(new TestEnvironment(new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password }), _fake, _ => registry, args);

    private CliRun Run(params string[] args) => Run(_registry, args);

    private static void AssertExit(CliRun run, int exitCode, string? code = null)
    {
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode}{(code is null ? "" : " with " + code)}; got {run}");
        if (code is not null)
        {
            Assert.Contains(code, run.Stderr + run.Stdout, StringComparison.Ordinal);
        }
    }

    private string SignedImage(string tag = "v1")
    {
        OciDescriptor image = _registry.PushImage(Repository, tag, tag);
        AssertExit(Run(["sign", $"{Repo}:{tag}", "--key", _key, .. Services()]), 0);
        return $"{Repo}@{image.Digest}";
    }

    [Fact]
    public void Sign_exits_0_2_3_and_4()
    {
        SignedImage();
        AssertExit(Run(["sign", BadReference, "--key", _key, .. Services()]), 2, "SC4001");
        _registry.PushImage(Repository, "v2", "v2");
        AssertExit(Run(["sign", Repo + ":v2", "--key", _key, .. Services(_badRoot)]), 3, "SC1101");
        AssertExit(Run(Unreachable, ["sign", Repo + ":v2", "--key", _key, .. Services()]), 4, "SC4002");
    }

    [Fact]
    public void Attest_exits_0_2_3_and_4()
    {
        _registry.PushImage(Repository, "v1", "v1");
        AssertExit(Run(["attest", Repo + ":v1", "--predicate", _predicate, "--type", "custom", "--key", _key, .. Services()]), 0);
        AssertExit(Run(["attest", Repo + ":v1", "--predicate", _predicate, "--type", "not a type", "--key", _key, .. Services()]), 2, "SC4409");
        AssertExit(Run(["attest", Repo + ":v1", "--predicate", _predicate, "--key", _key, .. Services(_badRoot)]), 3, "SC1101");
        AssertExit(Run(Unauthorized, ["attest", Repo + ":v1", "--predicate", _predicate, "--key", _key, .. Services()]), 3, "SC4004");
        AssertExit(Run(Unreachable, ["attest", Repo + ":v1", "--predicate", _predicate, "--key", _key, .. Services()]), 4, "SC4002");
    }

    [Fact]
    public void Verify_exits_0_1_2_3_4_and_5()
    {
        string signed = SignedImage();
        OciDescriptor unsigned = _registry.PushImage(Repository, "unsigned", "unsigned");
        AssertExit(Run("verify", signed, "--key", _pub, "--trusted-root", _root), 0);
        AssertExit(Run("verify", signed, "--key", _otherPub, "--trusted-root", _root), 1, "SC4402");
        AssertExit(Run("verify", BadReference, "--key", _pub, "--trusted-root", _root), 2, "SC4001");
        AssertExit(Run("verify", signed, "--key", _pub, "--trusted-root", _badRoot), 3, "SC1101");
        AssertExit(Run(Unauthorized, "verify", signed, "--key", _pub, "--trusted-root", _root), 3, "SC4004");
        AssertExit(Run(Unreachable, "verify", signed, "--key", _pub, "--trusted-root", _root), 4, "SC4002");
        AssertExit(Run("verify", $"{Repo}@{unsigned.Digest}", "--key", _pub, "--trusted-root", _root), 5, "SC4401");
    }

    [Fact]
    public void Verify_attestation_exits_0_1_2_3_4_and_5()
    {
        OciDescriptor image = _registry.PushImage(Repository, "v1", "v1");
        AssertExit(Run(["attest", Repo + ":v1", "--predicate", _predicate, "--type", "slsaprovenance1", "--key", _key, .. Services()]), 0);
        string at = $"{Repo}@{image.Digest}";
        AssertExit(Run("verify-attestation", at, "--type", "slsaprovenance1", "--key", _pub, "--trusted-root", _root), 0);
        AssertExit(Run("verify-attestation", at, "--type", "slsaprovenance1", "--key", _otherPub, "--trusted-root", _root), 1, "SC4402");
        AssertExit(Run("verify-attestation", at, "--type", "not a type", "--key", _pub, "--trusted-root", _root), 2, "SC4409");
        AssertExit(Run("verify-attestation", at, "--type", "slsaprovenance1", "--key", _pub, "--trusted-root", _badRoot), 3, "SC1101");
        AssertExit(Run(Unreachable, "verify-attestation", at, "--type", "slsaprovenance1", "--key", _pub, "--trusted-root", _root), 4, "SC4002");
        AssertExit(Run("verify-attestation", at, "--type", "cyclonedx", "--key", _pub, "--trusted-root", _root), 5, "SC4401");
    }

    [Theory]
    [InlineData("tree")]
    [InlineData("resolve")]
    public void Tree_and_resolve_exit_0_2_3_and_4(string command)
    {
        _registry.PushImage(Repository, "v1", "v1");
        AssertExit(Run(command, Repo + ":v1"), 0);
        AssertExit(Run(command, BadReference), 2, "SC4001");
        AssertExit(Run(Unauthorized, command, Repo + ":v1"), 3, "SC4004");
        AssertExit(Run(Unreachable, command, Repo + ":v1"), 4, "SC4002");
    }

    [Fact]
    public void Lineage_exits_0_1_2_3_and_4()
    {
        var registry = new InMemoryRegistry();
        var images = new LineageImages(registry);
        LineageImage scratchBased = images.Push(Repo, ["a"], tag: "plain");
        images.Push(Repo, ["a", "b"], tag: "claims-missing-base", annotations: new Dictionary<string, string>
        {
            [BaseImageClaim.NameKey] = "registry.test:5000/team/base:v1",
            [BaseImageClaim.DigestKey] = "sha256:" + new string('b', 64),
        });

        AssertExit(Run(registry, "lineage", scratchBased.Reference.ToString()), 0);
        AssertExit(Run(registry, "lineage", Repo + ":claims-missing-base"), 1, "SC4604");
        AssertExit(Run(registry, "lineage", Repo + ":plain", "--max-depth", "0"), 2, "SC6001");
        AssertExit(Run(Unauthorized, "lineage", Repo + ":plain"), 3, "SC4004");
        AssertExit(Run(registry, "lineage", Repo + ":absent"), 4, "SC4610");
        AssertExit(Run(Unreachable, "lineage", Repo + ":plain"), 4, "SC4002");
    }

    [Fact]
    public async Task Policy_test_exits_0_1_2_3_4_and_5()
    {
        // Images whose config lists their layers (the evaluator resolves each level as the lineage walk does).
        PushedImage image = await TestImages.PushImageAsync(_registry, Repository, "v1");
        AssertExit(Run(["sign", Repo + ":v1", "--key", _key, .. Services()]), 0);
        string signed = $"{Repo}@{image.Descriptor.Digest}";
        OciDescriptor unsigned = (await TestImages.PushImageAsync(_registry, Repository, "unsigned")).Descriptor;
        string policy = Write("policy.yaml", Encoding.UTF8.GetBytes($$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: apps
                images: ["{{Repo}}"]
                authorities: [{ name: ci, key: { path: "{{_pub}}" } }]
            """));
        string[] trust = ["--trusted-root", _root];

        AssertExit(Run(["policy", "test", "--policy", policy, signed, .. trust]), 0);
        OciDescriptor elsewhere = (await TestImages.PushImageAsync(_registry, ImageReference.Parse("registry.test:5000/other/app"), "v1")).Descriptor;
        AssertExit(Run(["policy", "test", "--policy", policy, "registry.test:5000/other/app@" + elsewhere.Digest, .. trust]), 1, "SC5101");
        AssertExit(Run(["policy", "test", "--policy", Write("bad.yaml", "rules: [unclosed"u8.ToArray()), signed, .. trust]), 2, "SC5002");
        AssertExit(Run(["policy", "test", "--policy", Path.Combine(_dir, "absent.yaml"), signed, .. trust]), 3, "SC5008");
        AssertExit(Run(Unreachable, ["policy", "test", "--policy", policy, signed, .. trust]), 4, "SC4002");
        AssertExit(Run(["policy", "test", "--policy", policy, $"{Repo}@{unsigned.Digest}", .. trust]), 5, "SC5102");
    }

    /// <summary>A registry whose every call fails with one error (a registry refusing us, or one that cannot be reached).</summary>
    private sealed class FailingRegistry(SupplyChainException error) : IOciRegistry
    {
        public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) => throw error;

        public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => throw error;

        public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default) => throw error;

        public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw error;

        public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default) => throw error;

        public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default) => throw error;

        public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) => throw error;
    }
}
