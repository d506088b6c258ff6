using System.Text.Json.Nodes;
using SupplyChain.Admission.Tests.Evaluation;
using SupplyChain.Oci;

namespace SupplyChain.Cli.Tests.Admission;

/// <summary>
/// <c>signcli admission review</c> on the golden requests of testdata/admission, over the same in-process images the
/// golden test uses (through the CLI's registry seam) and the VirtualSigstore's trusted root: stdout is the golden
/// response.json, stderr one line per image, and the exit codes are 0 allowed, 1 denied, 2 malformed, 3 an
/// unreadable policy, 4 a registry failure.
/// </summary>
public sealed class AdmissionReviewCommandTests : IDisposable
{
    private readonly AdmissionWorld _world = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-admission-cli-").FullName;
    private readonly string _trustedRoot;

    public AdmissionReviewCommandTests()
    {
        _trustedRoot = Path.Combine(_dir, "trusted_root.json");
        File.WriteAllBytes(_trustedRoot, _world.Sigstore.TrustedRootBytes);
    }

    public void Dispose()
    {
        _world.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Case(string name, string file = "request.json") => Path.Combine(AdmissionWorld.Folder, name, file);

    private CliRun Review(string folder, string? policy = null, params string[] extra)
    {
        string policyPath = policy ?? (File.Exists(Case(folder, "policy.yaml")) ? Case(folder, "policy.yaml") : Path.Combine(AdmissionWorld.Folder, "policy.yaml"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = ["admission", "review", Case(folder), "--policy", policyPath, "--trusted-root", _trustedRoot, .. extra];
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, new NoTerminal(), null, _ => _world.Registry));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("pod", 0)]
    [InlineData("cronjob", 0)]
    [InlineData("lineage", 0)]
    [InlineData("warn_mode", 0)]
    [InlineData("audit_mode", 0)]
    [InlineData("registry_error_allowed", 0)]
    [InlineData("delete", 0)]
    [InlineData("pod_fail", 1)]
    [InlineData("multi_image_bad_init_fail", 1)]
    [InlineData("lineage_broken_fail", 1)]
    [InlineData("deny_tags_fail", 1)]
    [InlineData("unknown_kind_fail", 1)]
    public void Stdout_is_the_golden_response_and_the_exit_code_follows_the_decision(string folder, int exitCode)
    {
        CliRun run = Review(folder);

        Assert.True(run.ExitCode == exitCode, run.ToString());
        JsonNode expected = JsonNode.Parse(File.ReadAllText(Case(folder, "response.json")))!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(run.Stdout)), run.ToString());
        Assert.EndsWith(exitCode == 0 ? "image reference(s))" : "", run.Stderr.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Stderr_has_one_line_per_image_with_its_decision_location_and_code()
    {
        CliRun run = Review("multi_image_bad_init_fail");

        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("ALLOWED: registry.example/apps/web@sha256:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("DENIED: registry.example/apps/unsigned:1.0 at spec.template.spec.initContainers[1].image; digest sha256:", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("; rule apps; mode enforce; SC5102", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("denied: SC5102: image registry.example/apps/unsigned:1.0", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_review_exits_2_with_its_code_and_prints_no_response()
    {
        CliRun run = Review("malformed_review_fail");

        CliRunner.AssertFails(run, 2, "SC7003");
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Help_lists_the_options_and_a_missing_policy_is_a_usage_error()
    {
        CliRun help = CliRunner.Run("admission", "review", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--policy", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--trusted-root", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--registry-username", help.Stdout, StringComparison.Ordinal);

        CliRunner.AssertFails(CliRunner.Run("admission", "review", Case("pod")), 2, "SC6001");
        CliRunner.AssertFails(CliRunner.Run("admission", "review", Path.Combine(_dir, "absent.json"), "--policy", Path.Combine(AdmissionWorld.Folder, "policy.yaml")), 2, "SC6002");
    }

    [Fact]
    public void An_unreadable_policy_exits_3()
    {
        CliRun run = Review("pod", policy: Path.Combine(_dir, "missing.yaml"));

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("SC5008: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_denial_because_the_registry_failed_exits_4()
    {
        _world.Inner.FailRead = _ => OciErrors.RegistryStatus.ToException("503 Service Unavailable");

        CliRun run = Review("tag_resolved");

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.StartsWith("SC7102: ", JsonNode.Parse(run.Stdout)!["response"]!["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("(registry error)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_review_only_reads_the_registry()
    {
        _world.Registry.Calls.Clear();

        Assert.Equal(1, Review("dry_run_fail").ExitCode);
        Assert.Equal(0, Review("lineage").ExitCode);

        Assert.NotEmpty(_world.Registry.Calls);
        Assert.Empty(_world.Registry.WriteCalls);
    }

    [Theory]
    [InlineData("delete", 0, null)]
    [InlineData("malformed_review_fail", 2, "SC7003")]
    public async Task The_built_signcli_reads_the_review_from_stdin(string folder, int exitCode, string? code)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { SigncliBuildOutput.Dll, "admission", "review", "-", "--policy", Path.Combine(AdmissionWorld.Folder, "policy.yaml"), "--trusted-root", _trustedRoot })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(await File.ReadAllBytesAsync(Case(folder)));
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var run = new CliRun(process.ExitCode, await stdout, await stderr);
        Assert.True(run.ExitCode == exitCode, run.ToString());
        if (code is null)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Case(folder, "response.json"))), JsonNode.Parse(run.Stdout)), run.ToString());
        }
        else
        {
            CliRunner.AssertFails(run, exitCode, code);
        }
    }

    [Fact]
    public void Registry_credential_flags_have_no_image_to_bind_to_SC6010_and_the_environment_ones_are_ignored_with_a_warning()
    {
        CliRun flags = Review("pod", null, "--registry-username", "u", "--registry-password", "p");
        CliRunner.AssertFails(flags, ExitCodes.MalformedInput, "SC6010");
        Assert.Empty(flags.Stdout);

        var environment = new TestEnvironment(new Dictionary<string, string> { ["REGISTRY_USERNAME"] = "u", ["REGISTRY_PASSWORD"] = "p" });
        CliRun run = CliRunner.RunWith(environment, null, _ => _world.Registry, "admission", "review", Case("pod"), "--policy", Path.Combine(AdmissionWorld.Folder, "policy.yaml"), "--trusted-root", _trustedRoot);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("WARNING: REGISTRY_USERNAME/REGISTRY_PASSWORD are ignored", run.Stderr, StringComparison.Ordinal);
    }

    private sealed class NoTerminal : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => null;

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}
