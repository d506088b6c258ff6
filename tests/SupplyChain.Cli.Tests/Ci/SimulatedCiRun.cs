using System.Text.Json.Nodes;
using SupplyChain.Instance;

namespace SupplyChain.Cli.Tests.Ci;

/// <summary>
/// A simulated CI job on this machine (docs/instance.md, "Simulated CI"): a local Sigstore instance served on 127.0.0.1
/// as Fulcio, Rekor and TSA and as the CI's OIDC token endpoint, and the job's environment from
/// <c>signcli instance ci-env</c>. Signing commands run in process with that environment.
/// </summary>
public sealed class SimulatedCiRun : IAsyncDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private SimulatedCiRun(string directory, LocalInstance instance, LocalInstanceServer server, string signingConfig)
    {
        Directory = directory;
        Instance = instance;
        Server = server;
        SigningConfigPath = signingConfig;
    }

    public string Directory { get; }

    public LocalInstance Instance { get; }

    public LocalInstanceServer Server { get; }

    public string SigningConfigPath { get; }

    public string TrustedRootPath => Instance.TrustedRootPath;

    /// <summary>The signing flags for the served instance.</summary>
    public string[] SigningArgs => ["--signing-config", SigningConfigPath, "--trusted-root", TrustedRootPath];

    public static async Task<SimulatedCiRun> StartAsync()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("sc-simulated-ci-").FullName;
        string instanceDir = Path.Combine(directory, "instance");
        LocalInstance.Initialize(instanceDir);
        LocalInstance instance = LocalInstance.Open(instanceDir);
        LocalInstanceServer server = await instance.ServeAsync(0);

        // signing_config.json names the configured port; point it at the one actually served.
        string served = server.Url.AbsoluteUri.TrimEnd('/');
        JsonNode config = JsonNode.Parse(File.ReadAllText(instance.SigningConfigPath))!;
        foreach (string list in new[] { "caUrls", "oidcUrls", "rekorTlogUrls", "tsaUrls" })
        {
            foreach (JsonNode? service in config[list]!.AsArray())
            {
                service!["url"] = ((string)service["url"]!).Replace(instance.ServeUrl.AbsoluteUri.TrimEnd('/'), served, StringComparison.Ordinal);
            }
        }

        string path = Path.Combine(directory, "signing_config.json");
        File.WriteAllText(path, config.ToJsonString());
        return new SimulatedCiRun(directory, instance, server, path);
    }

    /// <summary>The claims of a GitHub Actions job of <paramref name="repository"/> (owner/name) on main.</summary>
    public static JsonObject GitHubClaims(string repository = "acme/app", string runner = "github-hosted") => new()
    {
        ["repository"] = repository,
        ["repository_owner"] = repository.Split('/')[0],
        ["repository_id"] = "101",
        ["repository_owner_id"] = "202",
        ["repository_visibility"] = "public",
        ["ref"] = "refs/heads/main",
        ["sha"] = Commit,
        ["workflow"] = "release",
        ["workflow_ref"] = $"{repository}/.github/workflows/release.yml@refs/heads/main",
        ["workflow_sha"] = Commit,
        ["job_workflow_ref"] = $"{repository}/.github/workflows/release.yml@refs/heads/main",
        ["job_workflow_sha"] = Commit,
        ["event_name"] = "push",
        ["run_id"] = "42",
        ["run_attempt"] = "1",
        ["runner_environment"] = runner,
    };

    /// <summary>The claims of a GitLab CI job of <paramref name="project"/> on main.</summary>
    public static JsonObject GitLabClaims(string project = "acme/app", string runner = "gitlab-hosted") => new()
    {
        ["project_path"] = project,
        ["project_id"] = "77",
        ["namespace_path"] = project.Split('/')[0],
        ["namespace_id"] = "66",
        ["project_visibility"] = "public",
        ["ref"] = "main",
        ["ref_type"] = "branch",
        ["sha"] = Commit,
        ["ci_config_ref_uri"] = $"gitlab.com/{project}//.gitlab-ci.yml@refs/heads/main",
        ["ci_config_sha"] = Commit,
        ["pipeline_source"] = "push",
        ["pipeline_id"] = "9",
        ["job_id"] = "1234",
        ["runner_environment"] = runner,
    };

    /// <summary>The job's environment: <c>signcli instance ci-env</c>'s exports, parsed.</summary>
    public Dictionary<string, string> Environment(string system, JsonObject claims)
    {
        string claimsPath = Path.Combine(Directory, $"claims-{Guid.NewGuid():N}.json");
        File.WriteAllText(claimsPath, claims.ToJsonString());
        CliRun run = CliRunner.Run("instance", "ci-env", system, "--claims", claimsPath, "--dir", Instance.Directory, "--url", Server.Url.AbsoluteUri);
        Assert.True(run.ExitCode == 0, run.ToString());
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // export NAME='value' (values here hold no single quotes)
            Assert.StartsWith("export ", line, StringComparison.Ordinal);
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            environment[line[7..eq]] = line[(eq + 2)..^1];
        }

        return environment;
    }

    /// <summary>The simulated issuer the certificates name.</summary>
    public string Issuer(string system) => Instance.Issuer.TrimEnd('/') + "/" + system;

    /// <summary>Runs signcli in process with <paramref name="environment"/> as the process environment.</summary>
    public static CliRun Run(Dictionary<string, string> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, new Env(environment)));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Instance.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private sealed class Env(Dictionary<string, string> variables) : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => variables.GetValueOrDefault(name);

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }
}
