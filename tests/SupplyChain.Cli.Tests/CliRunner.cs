using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests;

/// <summary>The outcome of one CLI run.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The SC code of the first stderr line that is not a library log line (docs/cli.md, "Diagnostics"), or null.</summary>
    public string? Code => ErrorText is { Length: >= 6 } line && line.StartsWith("SC", StringComparison.Ordinal) ? line[..6] : null;

    /// <summary>Stderr from its first line that is not a library log line (<c>WARNING:</c>, <c>INFO:</c>, <c>DEBUG:</c>, <c>ERROR:</c>).</summary>
    public string ErrorText => string.Join('\n', Stderr.Split('\n').SkipWhile(IsLogLine));

    /// <summary>Whether <paramref name="line"/> is a line of signcli's stderr logger.</summary>
    public static bool IsLogLine(string line) =>
        line.StartsWith("WARNING: ", StringComparison.Ordinal) || line.StartsWith("INFO: ", StringComparison.Ordinal)
        || line.StartsWith("DEBUG: ", StringComparison.Ordinal) || line.StartsWith("ERROR: ", StringComparison.Ordinal);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs signcli in-process through <see cref="CliApp.RunAsync"/>.</summary>
public static class CliRunner
{
    public const string BeaconIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";

    public static string QuickstartBundle => Path.Combine(TestPaths.TestData, "quickstart", "bundle.sigstore.json");

    public static string QuickstartArtifact => Path.Combine(TestPaths.TestData, "quickstart", "a.txt");

    public static CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunAsync(args, stdout, stderr));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs signcli in-process with an environment, the signing services' transport and a registry client factory (each optional).</summary>
    internal static CliRun RunWith(IPasswordSource environment, HttpMessageHandler? services, Func<Oci.Registry.OciRegistryClientOptions, Oci.Registry.IOciRegistry>? registry, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, environment, services, registry));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs an in-process signcli invocation to completion for a synchronous test: on the thread pool, so that nothing it
    /// awaits is posted back to a test synchronization context this thread blocks.
    /// </summary>
    internal static int Exit(Func<Task<int>> run) => Task.Run(run).GetAwaiter().GetResult();

    /// <summary>Asserts a failure: exit code, and stderr starting with the code (after the libraries' log lines, if any).</summary>
    public static void AssertFails(CliRun run, int exitCode, string code)
    {
        Assert.True(run.ExitCode == exitCode && run.ErrorText.StartsWith(code + ": ", StringComparison.Ordinal), $"expected exit {exitCode} with {code}; got {run}");
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>Environment variables for a run, and no terminal (so no password prompt).</summary>
internal sealed class TestEnvironment(IReadOnlyDictionary<string, string>? variables = null) : IPasswordSource
{
    public bool IsInteractive => false;

    public string? GetEnvironmentVariable(string name) => variables?.GetValueOrDefault(name);

    public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
}
