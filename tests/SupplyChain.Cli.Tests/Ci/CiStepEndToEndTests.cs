using System.Diagnostics;
using System.Text.Json.Nodes;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Ci;

/// <summary>
/// The ready CI steps end to end on this machine (docs/ci.md): signcli packed and installed as a .NET tool, the GitHub
/// composite action's script (ci/signcli-attest.sh) and the GitLab template's script lines run by bash in simulated
/// jobs (the local instance as Fulcio, Rekor, TSA and the job's OIDC token endpoint), docker-registry as the registry.
/// A base image and an application image built on it are signed and attested (provenance and SBOM) by their own
/// repositories' jobs; verify-attestation then requires provenance from the right repository for each.
/// </summary>
public sealed class CiStepEndToEndTests : IClassFixture<RegistryFixture>
{
    private static readonly Lazy<string> Feed = new(PackTool);
    private readonly RegistryFixture _fixture;

    public CiStepEndToEndTests(RegistryFixture fixture) => _fixture = fixture;

    private static string Repository => TestPaths.RepositoryRoot;

    /// <summary><c>dotnet pack</c> of signcli (Release, so that the Debug outputs under test are not touched) into a folder feed.</summary>
    private static string PackTool()
    {
        string feed = Directory.CreateTempSubdirectory("sc-signcli-feed-").FullName;
        (int exit, string output) = Execute("dotnet", ["pack", Path.Combine(Repository, "cli", "SupplyChain.Cli"), "-c", "Release", "-o", feed, "--nologo"], null, Repository, TimeSpan.FromMinutes(8));
        Assert.True(exit == 0, output);
        return feed;
    }

    private static (int Exit, string Output) Execute(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The CI machine's own CI variables must not leak into the simulated job.
        foreach (string name in new[] { "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "CIRCLECI", "SIGSTORE_ID_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN" })
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string WriteSbom(string directory, string name)
    {
        string path = Path.Combine(directory, name + ".cdx.json");
        File.WriteAllText(path, new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["version"] = 1,
            ["metadata"] = new JsonObject { ["component"] = new JsonObject { ["type"] = "container", ["name"] = name, ["bom-ref"] = name } },
            ["components"] = new JsonArray(new JsonObject { ["type"] = "library", ["name"] = "libc", ["version"] = "2.41", ["bom-ref"] = "libc" }),
            ["dependencies"] = new JsonArray(new JsonObject { ["ref"] = name, ["dependsOn"] = new JsonArray("libc") }),
        }.ToJsonString());
        return path;
    }

    /// <summary>The GitLab template's script lines (ci/gitlab/signcli.gitlab-ci.yml, <c>.signcli-attest.script</c>) as a bash script.</summary>
    private static string GitLabScript(string directory)
    {
        var lines = new List<string> { "set -euo pipefail" };
        bool inScript = false;
        foreach (string line in File.ReadAllLines(Path.Combine(Repository, "ci", "gitlab", "signcli.gitlab-ci.yml")))
        {
            if (line == "  script:")
            {
                inScript = true;
                continue;
            }

            if (inScript && line.StartsWith("    - ", StringComparison.Ordinal))
            {
                string command = line[6..];
                lines.Add(command.StartsWith('\'') && command.EndsWith('\'') ? command[1..^1].Replace("''", "'", StringComparison.Ordinal) : command);
            }
            else if (inScript && line.Length > 0 && !line.StartsWith("    ", StringComparison.Ordinal))
            {
                inScript = false;
            }
        }

        Assert.True(lines.Count > 4, "the template has a script");
        string path = Path.Combine(directory, "gitlab-job.sh");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static CliRun VerifyProvenance(SimulatedCiRun ci, string image, string identity, string system, string repository) =>
        CliRunner.Run("verify-attestation", image, "--type", "slsaprovenance1", "--trusted-root", ci.TrustedRootPath,
            "--certificate-identity", identity, "--certificate-oidc-issuer", ci.Issuer(system), "--source-repository", repository, "--deny-self-hosted-runners");

    [RegistryFact(needsImageTools: true)]
    public async Task The_GitHub_action_and_GitLab_template_sign_and_attest_a_base_and_its_image_verified_by_repository()
    {
        await using SimulatedCiRun ci = await SimulatedCiRun.StartAsync();
        DistributionRegistry registry = _fixture.Registry;
        using var chain = new UmociChain();
        chain.FromScratch("base");
        chain.Claim("base", new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = "scratch" });
        string baseDigest = chain.Push(registry, "base", "ci/base");
        chain.Derive("base", "app");
        chain.Claim("app", new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = $"{registry.Host}/ci/base:base", ["org.opencontainers.image.base.digest"] = baseDigest });
        string appDigest = chain.Push(registry, "app", "ci/app");
        chain.Derive("base", "svc");
        chain.Push(registry, "svc", "ci/svc");
        string signingArgs = string.Join(' ', ci.SigningArgs);

        // The GitHub action's step, once in acme/base's job and once in acme/app's job, with SBOMs.
        foreach ((string repository, string image) in new[] { ("acme/base", $"{registry.Host}/ci/base:base"), ("acme/app", $"{registry.Host}/ci/app:app") })
        {
            Dictionary<string, string> env = ci.Environment("github-actions", SimulatedCiRun.GitHubClaims(repository));
            env["SIGNCLI_IMAGE"] = image;
            env["SIGNCLI_SBOM"] = WriteSbom(ci.Directory, repository.Replace('/', '-'));
            env["SIGNCLI_TOOL_SOURCE"] = Feed.Value;
            env["SIGNCLI_VERSION"] = "0.1.0";
            env["SIGNCLI_TOOL_PATH"] = Path.Combine(ci.Directory, "github-tool");
            env["SIGNCLI_SIGNING_ARGS"] = signingArgs;
            env["GITHUB_OUTPUT"] = Path.Combine(ci.Directory, "github-output");
            (int exit, string output) = Execute("bash", [Path.Combine(Repository, "ci", "signcli-attest.sh")], env, ci.Directory, TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, output);
            Assert.Contains("Provenance: SLSA v1 from github-actions", output, StringComparison.Ordinal);
            Assert.Contains("SBOM: CycloneDX 1.6", output, StringComparison.Ordinal);
        }

        Assert.Contains($"digest={appDigest}", File.ReadAllText(Path.Combine(ci.Directory, "github-output")), StringComparison.Ordinal);

        // The GitLab template's script in acme/svc's pipeline.
        Dictionary<string, string> gitlab = ci.Environment("gitlab-ci", SimulatedCiRun.GitLabClaims("acme/svc"));
        gitlab["SIGNCLI_IMAGE"] = $"{registry.Host}/ci/svc:svc";
        gitlab["SIGNCLI_SBOM"] = WriteSbom(ci.Directory, "svc");
        gitlab["SIGNCLI_SBOM_TYPE"] = "cyclonedx";
        gitlab["SIGNCLI_TOOL_SOURCE"] = Feed.Value;
        gitlab["SIGNCLI_VERSION"] = "0.1.0";
        gitlab["SIGNCLI_TOOL_PATH"] = Path.Combine(ci.Directory, "gitlab-tool");
        gitlab["SIGNCLI_SIGNING_ARGS"] = signingArgs;
        (int gitlabExit, string gitlabOutput) = Execute("bash", [GitLabScript(ci.Directory)], gitlab, ci.Directory, TimeSpan.FromMinutes(5));
        Assert.True(gitlabExit == 0, gitlabOutput);
        Assert.Contains("Provenance: SLSA v1 from gitlab-ci", gitlabOutput, StringComparison.Ordinal);

        // Each image carries provenance from its own repository, and not from another one.
        string appWorkflow = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";
        string baseWorkflow = "https://github.com/acme/base/.github/workflows/release.yml@refs/heads/main";
        CliRun app = VerifyProvenance(ci, $"{registry.Host}/ci/app@{appDigest}", appWorkflow, "github-actions", "https://github.com/acme/app");
        Assert.True(app.ExitCode == 0, app.ToString());
        CliRun baseImage = VerifyProvenance(ci, $"{registry.Host}/ci/base@{baseDigest}", baseWorkflow, "github-actions", "https://github.com/acme/base");
        Assert.True(baseImage.ExitCode == 0, baseImage.ToString());
        CliRun svc = VerifyProvenance(ci, $"{registry.Host}/ci/svc:svc", "https://gitlab.com/acme/svc//.gitlab-ci.yml@refs/heads/main", "gitlab-ci", "https://gitlab.com/acme/svc");
        Assert.True(svc.ExitCode == 0, svc.ToString());

        // A provenance naming another repository is refused: the base's attestation does not pass for acme/app, even
        // when the identity policy accepts the base's workflow.
        CliRunner.AssertFails(VerifyProvenance(ci, $"{registry.Host}/ci/base@{baseDigest}", baseWorkflow, "github-actions", "https://github.com/acme/app"), 1, "SC4402");

        CliRun sbom = CliRunner.Run("verify-attestation", $"{registry.Host}/ci/app@{appDigest}", "--type", "cyclonedx", "--trusted-root", ci.TrustedRootPath,
            "--certificate-identity", appWorkflow, "--certificate-oidc-issuer", ci.Issuer("github-actions"), "--source-repository", "https://github.com/acme/app", "--output", "json");
        Assert.True(sbom.ExitCode == 0, sbom.ToString());
        Assert.Equal("CycloneDX", (string?)JsonNode.Parse(sbom.Stdout)!["statement"]!["predicate"]!["bomFormat"]);
        CliRun signature = CliRunner.Run("verify", $"{registry.Host}/ci/app@{appDigest}", "--trusted-root", ci.TrustedRootPath,
            "--certificate-identity", appWorkflow, "--certificate-oidc-issuer", ci.Issuer("github-actions"));
        Assert.True(signature.ExitCode == 0, signature.ToString());

        // verify --policy and policy test: provenance from the right repository at every lineage level, each level under
        // its own rule (the application's, then its base's), an SBOM on the application.
        string appImage = $"{registry.Host}/ci/app@{appDigest}";
        string allow = Policy(ci, registry.Host, appRepository: "https://github.com/acme/app", baseRepository: "https://github.com/acme/base");
        CliRun allowed = CliRunner.Run("verify", appImage, "--policy", allow, "--trusted-root", ci.TrustedRootPath, "--output", "json");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        JsonNode verdict = JsonNode.Parse(allowed.Stdout)!;
        Assert.True((bool)verdict["allowed"]!);
        CliRun tested = CliRunner.Run("policy", "test", "--policy", allow, "--trusted-root", ci.TrustedRootPath, appImage);
        Assert.True(tested.ExitCode == 0, tested.ToString());

        // The base's provenance names acme/base: a policy that wants acme/app's source for the base denies the image.
        string wrongBase = Policy(ci, registry.Host, appRepository: "https://github.com/acme/app", baseRepository: "https://github.com/acme/app");
        CliRun denied = CliRunner.Run("verify", appImage, "--policy", wrongBase, "--trusted-root", ci.TrustedRootPath, "--output", "json");
        Assert.Equal(1, denied.ExitCode);
        Assert.Equal("SC5131", (string?)JsonNode.Parse(denied.Stdout)!["error"]);
        Assert.Contains("acme/base", denied.Stdout, StringComparison.Ordinal);
        CliRun deniedTest = CliRunner.Run("policy", "test", "--policy", wrongBase, "--trusted-root", ci.TrustedRootPath, appImage);
        Assert.True(deniedTest.ExitCode == 1 && deniedTest.Stdout.Contains("DENIED", StringComparison.Ordinal) && deniedTest.Stdout.Contains("SC5131", StringComparison.Ordinal), deniedTest.ToString());
    }

    /// <summary>
    /// Applications need provenance from <paramref name="appRepository"/> on main, built on hosted runners, and a valid
    /// SBOM; base images need provenance from <paramref name="baseRepository"/>; the lineage is walked to scratch.
    /// </summary>
    private static string Policy(SimulatedCiRun ci, string host, string appRepository, string baseRepository)
    {
        string issuer = ci.Issuer("github-actions");
        string yaml = $$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: apps
                images: ["{{host}}/ci/app"]
                authorities:
                  - name: ci
                    keyless: { issuer: "{{issuer}}", subjectRegExp: 'https://github\.com/acme/[^/]+/\.github/workflows/release\.yml@refs/heads/main' }
                attestations:
                  - predicateType: https://slsa.dev/provenance/v1
                    conditions:
                      sourceRepository: {{appRepository}}
                      sourceRef: [refs/heads/main, refs/tags/v*]
                      builderId: https://github.com/acme/*/.github/workflows/release.yml@*
                      hostedRunners: true
                  - predicateType: https://cyclonedx.org/bom
                    conditions: { sbom: true }
                lineage: { required: true, trustedRoots: [scratch], maxDepth: 4 }
              - name: base
                images: ["{{host}}/ci/base"]
                authorities:
                  - name: ci
                    keyless: { issuer: "{{issuer}}", subjectRegExp: 'https://github\.com/acme/[^/]+/\.github/workflows/release\.yml@refs/heads/main' }
                attestations:
                  - predicateType: https://slsa.dev/provenance/v1
                    conditions: { sourceRepository: "{{baseRepository}}", hostedRunners: true }
            """;
        string path = Path.Combine(ci.Directory, $"policy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
