using System.Diagnostics;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Conformance;

/// <summary>Runs tests/conformance/entrypoint as a process, as the upstream conformance harness does.</summary>
public static class EntrypointProcess
{
    public static string Path => System.IO.Path.Combine(TestPaths.RepositoryRoot, "tests", "conformance", "entrypoint");

    /// <summary>The configuration this test assembly was built in (bin/&lt;Configuration&gt;/net10.0), so the entrypoint runs the signcli built with it.</summary>
    public static string Configuration =>
        new DirectoryInfo(System.IO.Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Debug";

    public static CliRun Run(IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SIGNCLI_CONFIGURATION")))
        {
            psi.Environment["SIGNCLI_CONFIGURATION"] = Configuration;
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Path);
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("the entrypoint did not finish: " + string.Join(' ', args));
        }

        p.WaitForExit();
        return new CliRun(p.ExitCode, stdout.Result, stderr.Result);
    }
}
