using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Instance;

/// <summary>
/// The README quick start's first command, read from README.md and run step by step through CliApp (with a private
/// XDG_DATA_HOME and the bundle in a temporary directory), so the documented command cannot rot. Both steps go through
/// the repository's <c>./signcli</c> script (published once, then started directly: <see cref="QuickStartScriptTests"/>);
/// the native executable it makes runs the same commands in SupplyChain.AotCheck.Tests.
/// </summary>
public sealed class ReadmeQuickStartTests : IDisposable
{
    private const string Invocation = "./signcli ";
    private readonly InstanceCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void The_first_quick_start_command_signs_with_the_local_instance_and_verifies_in_process()
    {
        string readme = Path.Combine(TestPaths.RepositoryRoot, "README.md");
        string[] lines = File.ReadAllLines(readme);
        int start = Array.IndexOf(lines, "## Quick start");
        int fence = Array.FindIndex(lines, start, l => l.StartsWith("```", StringComparison.Ordinal));
        string first = lines[fence + 1];
        Assert.Equal("dotnet test SupplyChain.sln", lines[fence + 2]);
        Assert.Equal("```", lines[fence + 3]);

        string bundle = Path.Combine(_cli.Root, "README.md.sigstore.json");
        string[] steps = first.Split(" && ");
        Assert.Equal(2, steps.Length);
        Assert.StartsWith(Invocation + "sign-blob ", steps[0], StringComparison.Ordinal);
        Assert.StartsWith(Invocation + "verify-blob ", steps[1], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, "signcli")), "the ./signcli script is missing");

        CliRun sign = _cli.Run(Arguments(steps[0][Invocation.Length..], readme, bundle));
        Assert.True(sign.ExitCode == 0, sign.ToString());
        Assert.Contains("Initialised the local Sigstore instance", sign.Stderr, StringComparison.Ordinal);
        Assert.Contains($"--certificate-identity {InstanceCli.Identity} --certificate-oidc-issuer {InstanceCli.Issuer}", sign.Stderr, StringComparison.Ordinal);

        CliRun verify = _cli.Run(Arguments(steps[1][Invocation.Length..], readme, bundle));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("Verified OK", verify.Stderr, StringComparison.Ordinal);

        // A second signing reuses the instance (no new keys), and both bundles stay verifiable.
        byte[] root = File.ReadAllBytes(Path.Combine(_cli.DefaultInstance, "trusted_root.json"));
        CliRun again = _cli.Run(Arguments(steps[0][Invocation.Length..], readme, bundle));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("Initialised", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(root, File.ReadAllBytes(Path.Combine(_cli.DefaultInstance, "trusted_root.json")));
    }

    /// <summary>The command's words, with the repository-relative README and the bundle made absolute.</summary>
    private static string[] Arguments(string command, string readme, string bundle) =>
        command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a switch { "README.md" => readme, "README.md.sigstore.json" => bundle, _ => a })
            .ToArray();
}
