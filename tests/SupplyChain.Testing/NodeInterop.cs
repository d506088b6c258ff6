using System.Diagnostics;

namespace SupplyChain.Testing;

/// <summary>Runs the node scripts under <c>tests/interop</c>.</summary>
public static class NodeInterop
{
    /// <summary>The sigstore-js interop folder.</summary>
    public static string SigstoreJsFolder => Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "sigstore-js");

    /// <summary>The tuf-js interop folder (TUF repositories generated with @tufjs/models).</summary>
    public static string TufJsFolder => Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "tuf-js");

    /// <summary>Runs <c>node script args...</c> in the tuf-js folder; returns the exit code and the combined output.</summary>
    /// <param name="script">The script, relative to the folder.</param>
    /// <param name="arguments">The script's arguments.</param>
    public static (int ExitCode, string Output) RunTufJs(string script, params string[] arguments) => Run(TufJsFolder, script, arguments);

    /// <summary>The sigstore-oci interop folder (@sigstore/oci attaching sigstore-js bundles to images, as actions/attest does).</summary>
    public static string SigstoreOciFolder => Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "sigstore-oci");

    /// <summary>Runs <c>node script args...</c> in the sigstore-oci folder; returns the exit code and the combined output.</summary>
    /// <param name="script">The script, relative to the folder.</param>
    /// <param name="arguments">The script's arguments.</param>
    public static (int ExitCode, string Output) RunSigstoreOci(string script, params string[] arguments) => Run(SigstoreOciFolder, script, arguments);

    /// <summary>The node-runtime interop folder: the npm package <c>node</c>, a runtime the pinned peers support.</summary>
    public static string RuntimeFolder => Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "node-runtime");

    /// <summary>
    /// The node that runs the peers: the one <c>npm ci</c> installs in <see cref="RuntimeFolder"/> (node 26; sigstore-js,
    /// @sigstore/sign, tuf-js and their npm dependencies require node ^22.22.2, ^24.15.0 or 26 and later, which Debian's
    /// node 20 is not). Outside CI, without it, the node on PATH; under <c>CI=true</c> never that one (null, so the
    /// peer tests fail rather than run on an unsupported runtime).
    /// </summary>
    public static string? NodeExecutable
    {
        get
        {
            string runtime = Path.Combine(RuntimeFolder, "node_modules", ".bin", OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (File.Exists(runtime))
            {
                return runtime;
            }

            return TestPaths.IsCi ? null : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "node.exe" : "node"))
                .FirstOrDefault(File.Exists);
        }
    }

    /// <summary>Runs <c>node script args...</c> in the sigstore-js folder; returns the exit code and the combined output.</summary>
    /// <param name="script">The script, relative to the folder.</param>
    /// <param name="arguments">The script's arguments.</param>
    public static (int ExitCode, string Output) RunSigstoreJs(string script, params string[] arguments) => Run(SigstoreJsFolder, script, arguments);

    private static (int ExitCode, string Output) Run(string folder, string script, string[] arguments)
    {
        string node = NodeExecutable ?? throw new InvalidOperationException("no node: run npm ci in tests/interop/node-runtime (CI) or put node on PATH");
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("node did not finish within 120 s");
        }

        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }
}
