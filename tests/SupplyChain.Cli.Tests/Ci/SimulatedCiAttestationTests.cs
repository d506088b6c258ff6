using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Ci;

/// <summary>
/// <c>attest-blob --provenance</c> in simulated GitHub Actions and GitLab CI jobs (the local instance as Fulcio, Rekor,
/// TSA and the CI's OIDC token endpoint), then <c>verify-blob-attestation</c> with source and builder checks; the
/// GitHub predicate is compared field for field with the one <c>@actions/attest</c> builds in the same job.
/// </summary>
public sealed class SimulatedCiAttestationTests
{
    private const string GitHubWorkflow = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";

    private static (string Artifact, string Bundle) Attest(SimulatedCiRun ci, Dictionary<string, string> environment, params string[] extra)
    {
        string artifact = Path.Combine(ci.Directory, $"app-{Guid.NewGuid():N}.tgz");
        File.WriteAllText(artifact, "the built artifact " + Guid.NewGuid());
        string bundle = artifact + ".sigstore.json";
        CliRun run = SimulatedCiRun.Run(environment, ["attest-blob", artifact, "--bundle", bundle, .. extra.Length == 0 ? ["--provenance"] : extra, .. ci.SigningArgs]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return (artifact, bundle);
    }

    private static CliRun Verify(SimulatedCiRun ci, string artifact, string bundle, string identity, string issuer, params string[] checks) =>
        CliRunner.Run(["verify-blob-attestation", artifact, "--bundle", bundle, "--trusted-root", ci.TrustedRootPath, "--certificate-identity", identity, "--certificate-oidc-issuer", issuer, .. checks]);

    private static JsonNode PredicateOf(string bundlePath)
    {
        JsonNode bundle = JsonNode.Parse(File.ReadAllText(bundlePath))!;
        JsonNode statement = JsonNode.Parse(Convert.FromBase64String((string)bundle["dsseEnvelope"]!["payload"]!))!;
        return statement["predicate"]!;
    }

    [NodeInteropFact("actions-attest")]
    public async Task GitHub_Actions_provenance_equals_actions_attest_field_for_field_and_verifies_with_source_checks()
    {
        await using SimulatedCiRun ci = await SimulatedCiRun.StartAsync();
        Dictionary<string, string> env = ci.Environment("github-actions", SimulatedCiRun.GitHubClaims());
        (string artifact, string bundle) = Attest(ci, env);

        // The peer: @actions/attest's buildSLSAProvenancePredicate in the same job (same environment and token endpoint).
        var start = new System.Diagnostics.ProcessStartInfo(NodeInterop.NodeExecutable!) { WorkingDirectory = Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "actions-attest"), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("provenance.mjs");
        start.ArgumentList.Add(ci.Issuer("github-actions"));
        start.ArgumentList.Add(ci.Server.Url.AbsoluteUri);
        foreach ((string name, string value) in env)
        {
            start.Environment[name] = value;
        }

        using var node = System.Diagnostics.Process.Start(start)!;
        string output = await node.StandardOutput.ReadToEndAsync();
        string errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        Assert.True(node.ExitCode == 0 && last.StartsWith('{'), output + errors);
        JsonNode peer = JsonNode.Parse(last)!;
        Assert.Equal("https://slsa.dev/provenance/v1", (string?)peer["type"]);
        JsonNode ours = PredicateOf(bundle);
        Assert.True(JsonNode.DeepEquals(peer["params"], ours), $"@actions/attest: {peer["params"]}\nsigncli:         {ours}");

        CliRun verified = Verify(ci, artifact, bundle, GitHubWorkflow, ci.Issuer("github-actions"),
            "--source-repository", "https://github.com/acme/app", "--source-ref", "refs/heads/main", "--source-digest", SimulatedCiRun.Commit,
            "--signer-workflow", "github.com/acme/app/.github/workflows/release.yml", "--builder-id", "https://github.com/acme/app/.github/workflows/release.yml",
            "--deny-self-hosted-runners", "--output", "json");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        JsonNode result = JsonNode.Parse(verified.Stdout)!;
        Assert.Equal("https://github.com/acme/app", (string?)result["signer"]!["extensions"]!["sourceRepositoryURI"]);
        Assert.True(JsonNode.DeepEquals(ours, result["statement"]!["predicate"]), "--output json prints the verified statement");

        CliRunner.AssertFails(Verify(ci, artifact, bundle, GitHubWorkflow, ci.Issuer("github-actions"), "--source-repository", "https://github.com/acme/other"), 1, "SC1622");
        CliRunner.AssertFails(Verify(ci, artifact, bundle, GitHubWorkflow, ci.Issuer("github-actions"), "--source-ref", "refs/tags/v1"), 1, "SC1623");
        CliRunner.AssertFails(Verify(ci, artifact, bundle, GitHubWorkflow, ci.Issuer("github-actions"), "--type", "cyclonedx"), 1, "SC1621");
    }

    [Fact]
    public async Task With_debug_the_provenance_builder_logs_the_ci_system_and_variable_names_but_no_token()
    {
        await using SimulatedCiRun ci = await SimulatedCiRun.StartAsync();
        Dictionary<string, string> env = ci.Environment("github-actions", SimulatedCiRun.GitHubClaims());
        string artifact = Path.Combine(ci.Directory, "debug.tgz");
        File.WriteAllText(artifact, "debug run");

        CliRun run = SimulatedCiRun.Run(env, ["attest-blob", artifact, "--bundle", artifact + ".sigstore.json", "--provenance", "--debug", .. ci.SigningArgs]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("DEBUG: provenance: CI system github-actions", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("ACTIONS_ID_TOKEN_REQUEST_TOKEN (set)", run.Stderr, StringComparison.Ordinal);
        string bearer = env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
        Assert.True(bearer.Length >= 16, bearer);
        Assert.DoesNotContain(bearer, run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_signs_a_provenance_naming_another_repository_is_caught_SC1628()
    {
        await using SimulatedCiRun ci = await SimulatedCiRun.StartAsync();
        Dictionary<string, string> env = ci.Environment("github-actions", SimulatedCiRun.GitHubClaims());

        // The attacker controls a workflow of acme/app and hand-writes a provenance for evil/app's source.
        string forged = Path.Combine(ci.Directory, "forged.json");
        File.WriteAllText(forged, new JsonObject
        {
            ["buildDefinition"] = new JsonObject
            {
                ["buildType"] = "https://actions.github.io/buildtypes/workflow/v1",
                ["externalParameters"] = new JsonObject(),
                ["resolvedDependencies"] = new JsonArray(new JsonObject { ["uri"] = "git+https://github.com/evil/app@refs/heads/main", ["digest"] = new JsonObject { ["gitCommit"] = SimulatedCiRun.Commit } }),
            },
            ["runDetails"] = new JsonObject { ["builder"] = new JsonObject { ["id"] = GitHubWorkflow } },
        }.ToJsonString());
        (string artifact, string bundle) = Attest(ci, env, "--predicate", forged, "--type", "slsaprovenance1");

        CliRunner.AssertFails(Verify(ci, artifact, bundle, GitHubWorkflow, ci.Issuer("github-actions")), 1, "SC1628");
        CliRunner.AssertFails(Verify(ci, artifact, bundle, GitHubWorkflow, ci.Issuer("github-actions"), "--source-repository", "https://github.com/evil/app"), 1, "SC1628");
    }

    [Fact]
    public async Task GitLab_CI_provenance_verifies_with_its_pipeline_as_signer_and_self_hosted_runners_are_denied()
    {
        await using SimulatedCiRun ci = await SimulatedCiRun.StartAsync();
        const string pipeline = "https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main";
        (string artifact, string bundle) = Attest(ci, ci.Environment("gitlab-ci", SimulatedCiRun.GitLabClaims()));
        Assert.Equal("https://supplychain.dev/buildtypes/gitlab-ci/v1", (string?)PredicateOf(bundle)["buildDefinition"]!["buildType"]);
        CliRun verified = Verify(ci, artifact, bundle, pipeline, ci.Issuer("gitlab-ci"),
            "--source-repository", "https://gitlab.com/acme/app", "--source-ref", "refs/heads/main", "--signer-workflow", "gitlab.com/acme/app//.gitlab-ci.yml",
            "--builder-id", pipeline, "--deny-self-hosted-runners");
        Assert.True(verified.ExitCode == 0, verified.ToString());

        (string selfHostedArtifact, string selfHosted) = Attest(ci, ci.Environment("gitlab-ci", SimulatedCiRun.GitLabClaims(runner: "self-hosted")));
        CliRunner.AssertFails(Verify(ci, selfHostedArtifact, selfHosted, pipeline, ci.Issuer("gitlab-ci"), "--deny-self-hosted-runners"), 1, "SC1627");
    }

    [NodeInteropFact("sigstore-js")]
    public async Task Sigstore_js_verifies_the_provenance_bundle_of_a_simulated_job()
    {
        await using SimulatedCiRun ci = await SimulatedCiRun.StartAsync();
        (string artifact, string bundle) = Attest(ci, ci.Environment("github-actions", SimulatedCiRun.GitHubClaims()));
        (int exit, string output) = NodeInterop.RunSigstoreJs("verify.mjs", bundle, ci.TrustedRootPath, artifact, GitHubWorkflow, ci.Issuer("github-actions"));
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void Provenance_outside_CI_needs_a_builder_and_bad_combinations_are_refused()
    {
        string dir = Directory.CreateTempSubdirectory("sc-attest-usage-").FullName;
        try
        {
            string artifact = Path.Combine(dir, "a.txt");
            File.WriteAllText(artifact, "a");
            string bundle = Path.Combine(dir, "a.json");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", artifact, "--provenance", "--bundle", bundle), 3, "SC2020");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", artifact, "--provenance", "--predicate", artifact, "--bundle", bundle), 2, "SC6001");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", artifact, "--source-ref", "refs/heads/main", "--predicate", artifact, "--bundle", bundle), 2, "SC6001");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", artifact, "--provenance", "--type", "cyclonedx", "--bundle", bundle), 2, "SC6001");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", "--predicate", artifact, "--bundle", bundle), 2, "SC6001");

            // An SBOM type is checked before anything is signed or asked for.
            string notSbom = Path.Combine(dir, "sbom.json");
            File.WriteAllText(notSbom, """{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library"}]}""");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", artifact, "--predicate", notSbom, "--type", "cyclonedx", "--bundle", bundle), 2, "SC1631");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", artifact, "--predicate", notSbom, "--type", "spdxjson", "--bundle", bundle), 2, "SC1632");
            string checksums = Path.Combine(dir, "SHA256SUMS");
            File.WriteAllText(checksums, "not a checksum line\n");
            CliRunner.AssertFails(SimulatedCiRun.Run([], "attest-blob", "--subject-checksums", checksums, "--predicate", artifact, "--bundle", bundle), 2, "SC2025");
            Assert.False(File.Exists(bundle));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
