using System.Text.Json.Nodes;
using SupplyChain.Testing;
using Xunit.Abstractions;

namespace SupplyChain.AotCheck.Tests;

/// <summary>
/// Issue 16: every shipped library is trim-safe and NativeAOT-compatible, dependencies included, and the native signcli
/// works. One NativeAOT publish of tests/SupplyChain.AotCheck (signcli with each library under src/ rooted whole, so all
/// of their code and everything it calls in BouncyCastle, YamlDotNet, IdentityModel, System.CommandLine and ASP.NET
/// Core is analysed, not only what signcli reaches) must print no IL2xxx/IL3xxx warning; then the executable it made
/// runs the paths where reflection would break first: source-generated JSON (bundles, trusted roots, AdmissionReview),
/// the YAML policy reader, Ed25519 checkpoints, scrypt + secretbox cosign keys and the local OIDC tokens.
/// </summary>
[Collection(NativePublishCollection.Name)]
public sealed class NativeAotPublishTests(ITestOutputHelper log) : IDisposable
{
    private const string QuickStartIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private readonly string _work = Directory.CreateTempSubdirectory("sc-aotrun-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [NativeAotFact]
    public async Task Publishing_every_library_and_signcli_natively_raises_no_trim_or_aot_warning()
    {
        NativeSigncli native = await NativeSigncli.GetAsync();
        log.WriteLine($"dotnet publish tests/SupplyChain.AotCheck: {native.Elapsed.TotalSeconds:F0} s");

        Assert.True(native.ExitCode == 0, native.Output);
        Assert.Contains("Generating native code", native.Output, StringComparison.Ordinal);
        Assert.True(native.Warnings.Count == 0, "trim/AOT warnings:\n" + string.Join('\n', native.Warnings));
    }

    [NativeAotFact]
    public async Task The_compiler_roots_every_library_under_src_and_reports_warnings_inside_dependencies_one_by_one()
    {
        NativeSigncli native = await NativeSigncli.GetAsync();
        string[] arguments = native.CompilerArguments.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        string[] libraries = Directory.GetDirectories(Path.Combine(TestPaths.RepositoryRoot, "src")).Select(Path.GetFileName).ToArray()!;
        Assert.Contains("SupplyChain.Core", libraries);
        Assert.All(libraries, library => Assert.Contains($"--root:{library}", arguments));

        // --singlewarn folds each assembly's warnings into one IL2104/IL3053 (still a failure, but unexplained);
        // --notrimwarn would hide them all.
        Assert.DoesNotContain("--singlewarn", arguments);
        Assert.DoesNotContain("--notrimwarn", arguments);
        // No trim or AOT code is silenced, except IL2121 (an UnconditionalSuppressMessage that suppresses nothing), which
        // the SDK itself lists.
        string[] silenced = arguments
            .Where(a => a.StartsWith("--nowarn:", StringComparison.Ordinal))
            .SelectMany(a => a["--nowarn:".Length..].Trim('"').Split(';', StringSplitOptions.RemoveEmptyEntries))
            .Where(code => code.StartsWith("IL2", StringComparison.Ordinal) || code.StartsWith("IL3", StringComparison.Ordinal))
            .ToArray();
        Assert.All(silenced, code => Assert.Equal("IL2121", code));
    }

    [NativeAotFact]
    public async Task The_native_signcli_verifies_the_quick_start_bundle_against_the_embedded_production_root()
    {
        NativeSigncli native = await NativeSigncli.GetAsync();
        Assert.True(native.ExitCode == 0, native.Output);

        (int exitCode, string _, string stderr) = await native.RunAsync(
        [
            "verify-blob", "testdata/quickstart/a.txt", "--bundle", "testdata/quickstart/bundle.sigstore.json",
            "--certificate-identity", QuickStartIdentity, "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com",
        ]);

        Assert.True(exitCode == 0, stderr);
        Assert.StartsWith("Verified OK", stderr, StringComparison.Ordinal);

        (int tampered, string _, string tamperedErr) = await native.RunAsync(
        [
            "verify-blob", "README.md", "--bundle", "testdata/quickstart/bundle.sigstore.json",
            "--certificate-identity", QuickStartIdentity, "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com",
        ]);
        Assert.NotEqual(0, tampered);
        Assert.DoesNotContain("SC6099", tamperedErr, StringComparison.Ordinal);
    }

    [NativeAotFact]
    public async Task The_native_signcli_signs_keylessly_with_the_local_instance_and_verifies()
    {
        NativeSigncli native = await NativeSigncli.GetAsync();
        Assert.True(native.ExitCode == 0, native.Output);
        var environment = new Dictionary<string, string> { ["XDG_DATA_HOME"] = _work };
        string bundle = Path.Combine(_work, "README.md.sigstore.json");

        (int signed, string _, string signErr) = await native.RunAsync(["sign-blob", "--instance", "local", "README.md", "--bundle", bundle], environment);
        Assert.True(signed == 0, signErr);
        Assert.Contains("Initialised the local Sigstore instance", signErr, StringComparison.Ordinal);

        (int verified, string _, string verifyErr) = await native.RunAsync(
            ["verify-blob", "--instance", "local", "README.md", "--bundle", bundle, "--certificate-identity", "local-user@supplychain.localhost", "--certificate-oidc-issuer", "https://oidc.supplychain.localhost"],
            environment);
        Assert.True(verified == 0, verifyErr);
        Assert.StartsWith("Verified OK", verifyErr, StringComparison.Ordinal);
    }

    [NativeAotFact]
    public async Task The_native_signcli_writes_and_reads_cosign_encrypted_keys()
    {
        NativeSigncli native = await NativeSigncli.GetAsync();
        Assert.True(native.ExitCode == 0, native.Output);
        var environment = new Dictionary<string, string> { ["XDG_DATA_HOME"] = _work, ["COSIGN_PASSWORD"] = "native aot" };
        string prefix = Path.Combine(_work, "cosign");
        string bundle = Path.Combine(_work, "key.sigstore.json");

        (int generated, string _, string generateErr) = await native.RunAsync(["generate-key-pair", "--output-prefix", prefix], environment);
        Assert.True(generated == 0, generateErr);
        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----", await File.ReadAllTextAsync(prefix + ".key"), StringComparison.Ordinal);

        (int signed, string _, string signErr) = await native.RunAsync(["sign-blob", "--instance", "local", "--key", prefix + ".key", "README.md", "--bundle", bundle], environment);
        Assert.True(signed == 0, signErr);

        (int verified, string _, string verifyErr) = await native.RunAsync(["verify-blob", "--instance", "local", "README.md", "--bundle", bundle, "--key", prefix + ".pub"], environment);
        Assert.True(verified == 0, verifyErr);

        // A wrong password is refused with its code (the scrypt + secretbox open fails), not a crash.
        environment["COSIGN_PASSWORD"] = "wrong";
        (int refused, string _, string refusedErr) = await native.RunAsync(["sign-blob", "--instance", "local", "--key", prefix + ".key", "README.md", "--bundle", bundle], environment);
        Assert.NotEqual(0, refused);
        Assert.StartsWith("SC2004", refusedErr, StringComparison.Ordinal);
    }

    [NativeAotFact]
    public async Task The_native_signcli_reviews_an_admission_request_under_a_yaml_policy()
    {
        NativeSigncli native = await NativeSigncli.GetAsync();
        Assert.True(native.ExitCode == 0, native.Output);
        string folder = Path.Combine("testdata", "admission", "delete");

        (int exitCode, string stdout, string stderr) = await native.RunAsync(
            ["admission", "review", Path.Combine(folder, "request.json"), "--policy", Path.Combine("testdata", "admission", "policy.yaml")]);

        Assert.True(exitCode == 0, stderr);
        JsonNode expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, folder, "response.json")))!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(stdout)), stdout);
    }
}
