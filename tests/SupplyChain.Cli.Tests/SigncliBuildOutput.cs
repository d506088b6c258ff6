namespace SupplyChain.Cli.Tests;

/// <summary>
/// signcli.dll in signcli's own build output (cli/SupplyChain.Cli/bin/CONFIGURATION/TFM), as tests/conformance/entrypoint
/// runs it. Tests that start signcli as a process use it rather than the copy in this test folder: this project also
/// references the webhook host (ASP.NET Core), so its folder lacks the package assemblies that framework provides and
/// signcli, on the bare .NET runtime, loads from its own folder.
/// </summary>
internal static class SigncliBuildOutput
{
    /// <summary>The path of signcli.dll built in this test run's configuration.</summary>
    public static string Dll
    {
        get
        {
            string[] output = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar)[^2..];
            return Path.Combine(SupplyChain.Testing.TestPaths.RepositoryRoot, "cli", "SupplyChain.Cli", "bin", output[0], output[1], "signcli.dll");
        }
    }
}
