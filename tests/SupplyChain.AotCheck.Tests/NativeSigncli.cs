using System.Diagnostics;
using System.Reflection;
using System.Text;
using SupplyChain.Testing;

namespace SupplyChain.AotCheck.Tests;

/// <summary>
/// The NativeAOT publish of <c>tests/SupplyChain.AotCheck</c> (signcli with every shipped library rooted), done once per
/// test run by the first test that asks for it, in the test assembly's configuration (so the libraries `dotnet test`
/// just built are reused), into a temporary folder deleted when the test process exits.
/// </summary>
internal sealed class NativeSigncli
{
    private static readonly Lazy<Task<NativeSigncli>> Published = new(PublishAsync);

    private NativeSigncli(int exitCode, string output, string executable, string compilerArguments, TimeSpan elapsed)
    {
        ExitCode = exitCode;
        Output = output;
        Executable = executable;
        CompilerArguments = compilerArguments;
        Elapsed = elapsed;
    }

    /// <summary>clang on the PATH (the NativeAOT linker), or <see langword="null"/>.</summary>
    public static string? Clang => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "clang"))
        .FirstOrDefault(File.Exists);

    /// <summary>The exit code of <c>dotnet publish</c>.</summary>
    public int ExitCode { get; }

    /// <summary>Everything <c>dotnet publish</c> printed (stdout, then stderr).</summary>
    public string Output { get; }

    /// <summary>The native executable.</summary>
    public string Executable { get; }

    /// <summary>The ILCompiler's response file of this publish (its roots and warning switches).</summary>
    public string CompilerArguments { get; }

    /// <summary>How long the publish took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The trim and AOT warnings of the publish.</summary>
    public IReadOnlyList<string> Warnings => TrimWarnings.Parse(Output);

    public static Task<NativeSigncli> GetAsync() => Published.Value;

    /// <summary>Runs the native signcli and returns its exit code, stdout and stderr.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Executable) { WorkingDirectory = TestPaths.RepositoryRoot };
        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        (int exitCode, string stdout, string stderr) = await RunProcessAsync(start, arguments, TimeSpan.FromMinutes(2));
        return (exitCode, stdout, stderr);
    }

    private static async Task<NativeSigncli> PublishAsync()
    {
        string project = Path.Combine(TestPaths.RepositoryRoot, "tests", "SupplyChain.AotCheck");
        string configuration = typeof(NativeSigncli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

        // The ILCompiler step is incremental: with its output up to date it would not run, and print no warning.
        foreach (string native in Directory.Exists(Path.Combine(project, "obj", configuration))
            ? Directory.GetDirectories(Path.Combine(project, "obj", configuration), "native", SearchOption.AllDirectories)
            : [])
        {
            Directory.Delete(native, recursive: true);
        }

        string output = Directory.CreateTempSubdirectory("sc-aotcheck-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(output, recursive: true);

        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { WorkingDirectory = TestPaths.RepositoryRoot };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var clock = Stopwatch.StartNew();
        (int exitCode, string stdout, string stderr) = await RunProcessAsync(
            start,
            ["publish", Path.Combine(project, "SupplyChain.AotCheck.csproj"), "-c", configuration, "-o", output, "-nodeReuse:false"],
            TimeSpan.FromMinutes(30));
        clock.Stop();

        string[] responseFiles = Directory.Exists(Path.Combine(project, "obj", configuration))
            ? Directory.GetFiles(Path.Combine(project, "obj", configuration), "*.ilc.rsp", SearchOption.AllDirectories)
            : [];
        string arguments = responseFiles.Length == 1 ? await File.ReadAllTextAsync(responseFiles[0]) : string.Empty;
        return new NativeSigncli(exitCode, stdout + stderr, Path.Combine(output, "signcli-aotcheck"), arguments, clock.Elapsed);
    }

    /// <summary>Runs a process to its end within <paramref name="timeout"/> (killed beyond it), its stdin closed.</summary>
    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(ProcessStartInfo start, IEnumerable<string> arguments, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} ran longer than {timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
