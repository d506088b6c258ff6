using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// The image commands against Debian's docker-registry (distribution 2.8: no referrers API, so the tag-schema fallback
/// is used for real) on 127.0.0.1, images built with umoci and pushed with skopeo, signing services the in-process stub
/// Fulcio/Rekor. (Skopeo interop is not here: Debian's skopeo 1.9.3 is built with sigstore disabled, "Debian-local
/// change: sigstore disabled", both for signing and for sigstoreSigned policies; the layer skopeo writes is reproduced
/// in the Oci unit tests instead.)
/// </summary>
public sealed class ImageRegistryEndToEndTests : IClassFixture<RegistryFixture>, IDisposable
{
    private const string Password = "correct horse";
    private readonly RegistryFixture _fixture;
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-registry-").FullName;
    private readonly FakeSigstore _fake = new();
    private readonly string _root;
    private readonly string _key;
    private readonly string _pub;

    public ImageRegistryEndToEndTests(RegistryFixture fixture)
    {
        _fixture = fixture;
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

    private string Host => _fixture.Registry.Host;

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var terminal = new Environment(new Dictionary<string, string> { ["COSIGN_PASSWORD"] = Password });
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, terminal, _fake));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    private string[] Services() =>
        ["--trusted-root", _root, "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1"];

    /// <summary>A fresh umoci-built image pushed by skopeo; returns "host/repo:tag" and its digest.</summary>
    private (string Image, string Digest) PushImage(string repository)
    {
        string digest = UmociImages.BuildAndPush(_fixture.Registry, repository, "v1");
        return ($"{Host}/{repository}:v1", digest.Trim());
    }

    [RegistryFact(needsImageTools: true)]
    public void Sign_and_verify_with_a_key_through_the_referrers_tag_fallback_then_tree_and_resolve()
    {
        (string image, string digest) = PushImage("e2e/key");

        CliRun sign = Run(["sign", image, "--key", _key, .. Services()]);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Contains($"Signing {Host}/e2e/key@{digest}", sign.Stderr, StringComparison.Ordinal);

        CliRun verify = Run("verify", image, "--key", _pub, "--trusted-root", _root, "--output", "json");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        JsonNode result = JsonNode.Parse(verify.Stdout)!;
        Assert.Equal(digest, (string?)result["imageDigest"]);
        Assert.Equal("referrer", (string?)result["signature"]!["format"]);

        // distribution 2.8 has no referrers API: the bundle is listed in the sha256-<hex> tag-schema index.
        Assert.Equal(0, Run("resolve", $"{Host}/e2e/key:{digest.Replace(':', '-')}").ExitCode);

        CliRun tree = Run("tree", image);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.Contains("Signatures", tree.Stdout, StringComparison.Ordinal);

        CliRun resolve = Run("resolve", image);
        Assert.Equal($"{Host}/e2e/key@{digest}", resolve.Stdout.Trim());
    }

    [RegistryFact(needsImageTools: true)]
    public void An_unsigned_image_exits_5_and_an_unreachable_registry_exits_4()
    {
        (string image, _) = PushImage("e2e/unsigned");
        Assert.Equal(5, Run("verify", image, "--key", _pub, "--trusted-root", _root).ExitCode);

        CliRun down = Run("verify", "127.0.0.1:1/nothing/here:v1", "--key", _pub, "--trusted-root", _root);
        Assert.Equal(4, down.ExitCode);
    }

    [RegistryFact(needsImageTools: true)]
    public void Attest_and_verify_attestation_and_the_legacy_format()
    {
        (string image, string digest) = PushImage("e2e/att");
        string predicate = Write("p.json", "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\"}}"u8.ToArray());

        // A cyclonedx predicate must be a CycloneDX BOM (checked before signing, SC1631).
        string bom = Write("bom.json", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"type\":\"library\",\"name\":\"lib\"}]}"u8.ToArray());
        Assert.Equal(2, Run(["attest", image, "--predicate", predicate, "--type", "cyclonedx", "--key", _key, .. Services()]).ExitCode);
        Assert.Equal(0, Run(["attest", image, "--predicate", bom, "--type", "cyclonedx", "--key", _key, .. Services()]).ExitCode);
        Assert.Equal(0, Run(["attest", image, "--predicate", predicate, "--type", "slsaprovenance1", "--key", _key, "--legacy-format", .. Services()]).ExitCode);
        Assert.Equal(0, Run(["sign", image, "--key", _key, "--legacy-format", .. Services()]).ExitCode);

        CliRun cyclonedx = Run("verify-attestation", image, "--type", "cyclonedx", "--key", _pub, "--trusted-root", _root);
        Assert.True(cyclonedx.ExitCode == 0, cyclonedx.ToString());
        CliRun slsa = Run("verify-attestation", image, "--type", "slsaprovenance1", "--key", _pub, "--trusted-root", _root);
        Assert.True(slsa.ExitCode == 0, slsa.ToString());
        Assert.Contains(".att layer 0", slsa.Stderr, StringComparison.Ordinal);
        CliRun legacy = Run("verify", image, "--key", _pub, "--trusted-root", _root);
        Assert.True(legacy.ExitCode == 0, legacy.ToString());
        Assert.Contains($"sha256-{digest[7..]}.sig layer 0", legacy.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, Run("verify-attestation", image, "--type", "spdxjson", "--key", _pub, "--trusted-root", _root).ExitCode);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task A_hostile_legacy_layer_before_a_valid_one_is_skipped_with_its_code_by_verify_and_verify_attestation()
    {
        (string image, string digest) = PushImage("e2e/hostile");
        string predicate = Write("p.json", "{\"buildDefinition\":{\"buildType\":\"https://example.com/t\"}}"u8.ToArray());
        Assert.Equal(0, Run(["sign", image, "--key", _key, "--legacy-format", .. Services()]).ExitCode);
        Assert.Equal(0, Run(["attest", image, "--predicate", predicate, "--type", "slsaprovenance1", "--key", _key, "--legacy-format", .. Services()]).ExitCode);
        using var client = new OciRegistryClient();
        ImageReference repository = ImageReference.Parse($"{Host}/e2e/hostile");
        foreach (string suffix in (string[])["sig", "att"])
        {
            string tag = $"sha256-{digest[7..]}.{suffix}";
            FetchedManifest manifest = (await client.TryGetManifestAsync(repository.WithTag(tag)))!;
            JsonObject json = JsonNode.Parse(manifest.Content.Span)!.AsObject();
            var hostile = (JsonObject)json["layers"]![0]!.DeepClone();
            hostile["annotations"]!["dev.sigstore.cosign/bundle"] = "{\"SignedEntryTimestamp\":null,\"Payload\":{\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"00\"}}";
            json["layers"] = new JsonArray(hostile, json["layers"]![0]!.DeepClone());
            await client.PushManifestAsync(repository, manifest.Descriptor.MediaType, Encoding.UTF8.GetBytes(json.ToJsonString()), tag);
        }

        CliRun verify = Run("verify", image, "--key", _pub, "--trusted-root", _root, "--output", "json");
        CliRun attestation = Run("verify-attestation", image, "--type", "slsaprovenance1", "--key", _pub, "--trusted-root", _root, "--output", "json");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(attestation.ExitCode == 0, attestation.ToString());
        foreach ((CliRun run, string suffix) in new[] { (verify, "sig"), (attestation, "att") })
        {
            JsonNode result = JsonNode.Parse(run.Stdout)!;
            Assert.Equal($"sha256-{digest[7..]}.{suffix} layer 1", (string?)result["signature"]!["location"]);
            Assert.Equal(("sha256-" + digest[7..] + "." + suffix + " layer 0", "SC4406"), ((string?)result["rejected"]![0]!["location"], (string?)result["rejected"]![0]!["code"]));
        }
    }

    [RegistryFact]
    public async Task Multi_arch_index_signature_accepts_a_platform_and_recursive_signs_each()
    {
        using var client = new OciRegistryClient();
        PushedImage index = await TestImages.PushIndexAsync(client, ImageReference.Parse($"{Host}/e2e/multi"), "v1", [new OciPlatform("linux", "amd64"), new OciPlatform("linux", "arm64")]);
        string image = $"{Host}/e2e/multi:v1";
        string arm64 = index.Platforms[1].Digest;

        Assert.Equal(0, Run(["sign", image, "--key", _key, .. Services()]).ExitCode);
        CliRun platform = Run("verify", image, "--platform", "linux/arm64", "--key", _pub, "--trusted-root", _root, "--output", "json");
        Assert.True(platform.ExitCode == 0, platform.ToString());
        Assert.Equal(arm64, (string?)JsonNode.Parse(platform.Stdout)!["imageDigest"]);
        Assert.Equal(index.Descriptor.Digest, (string?)JsonNode.Parse(platform.Stdout)!["matchedDigest"]);
        Assert.Equal(5, Run("verify", $"{Host}/e2e/multi@{arm64}", "--key", _pub, "--trusted-root", _root).ExitCode);

        Assert.Equal(0, Run(["sign", image, "--key", _key, "--recursive", .. Services()]).ExitCode);
        Assert.Equal(0, Run("verify", $"{Host}/e2e/multi@{arm64}", "--key", _pub, "--trusted-root", _root).ExitCode);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task Two_concurrent_signers_both_end_up_listed_in_both_formats()
    {
        (string image, string digest) = PushImage("e2e/concurrent");
        CliRun[] referrers = await Task.WhenAll(
            Task.Run(() => Run(["sign", image, "--key", _key, .. Services()])),
            Task.Run(() => Run(["sign", image, "--key", _key, .. Services()])));
        CliRun[] legacy = await Task.WhenAll(
            Task.Run(() => Run(["sign", image, "--key", _key, "--legacy-format", .. Services()])),
            Task.Run(() => Run(["sign", image, "--key", _key, "--legacy-format", .. Services()])));
        Assert.All(referrers.Concat(legacy), run => Assert.True(run.ExitCode == 0, run.ToString()));

        CliRun tree = Run("tree", image);
        string[] lines = tree.Stdout.Split('\n');
        Assert.Equal(2, lines.Count(l => l.Contains("referrer sha256:", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.Contains($"legacy sha256-{digest[7..]}.sig layer", StringComparison.Ordinal)));
    }

    private sealed class Environment(Dictionary<string, string> variables) : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => variables.GetValueOrDefault(name);

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}
