using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests.Conformance;

/// <summary>
/// theupdateframework/tuf-conformance in <c>../shared/tuf-conformance</c> (its <c>run.sh</c>), run against
/// <c>tests/tuf-conformance/client</c>, the client-under-test over <see cref="TufClient"/>.
/// </summary>
internal static partial class TufConformanceSuite
{
    /// <summary>Tests in the pinned suite (tuf-conformance dbdf5d5, see the shared folder's SOURCE.md).</summary>
    public const int TestCount = 106;

    private static readonly Lazy<string?> Python = new(FindPython);

    /// <summary>The suite's runner, or <see langword="null"/> when the shared folder is absent.</summary>
    public static string? RunScript => TestPaths.Shared is { } shared ? Path.Combine(shared, "tuf-conformance", "run.sh") : null;

    /// <summary>The client-under-test (a script that starts the built client).</summary>
    public static string ClientScript => Path.Combine(TestPaths.RepositoryRoot, "tests", "tuf-conformance", "client");

    /// <summary>
    /// The python run.sh would pick: <c>python3</c> on PATH, else <c>/usr/bin/python3</c>, whose <c>cryptography</c> is 40 or
    /// newer (the simulator's securesystemslib needs it); <see langword="null"/> when there is none.
    /// </summary>
    public static string? PythonWithCryptography => Python.Value;

    /// <summary>The configuration this test assembly was built in (bin/&lt;Configuration&gt;/net10.0), so the client of the same build runs.</summary>
    public static string Configuration =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Debug";

    /// <summary>Runs the whole suite; returns run.sh's exit code and its combined output.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout)
    {
        string runScript = RunScript ?? throw new InvalidOperationException("the shared folder (../shared or $SUPPLYCHAIN_SHARED) is absent");
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = TestPaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(runScript);
        start.ArgumentList.Add(ClientScript);
        start.Environment["TUF_CONFORMANCE_CONFIGURATION"] = Configuration;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the tuf-conformance suite did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    /// <summary>The counts of pytest's final summary line (<c>104 passed, 2 xfailed in 51.3s</c>); absent outcomes are 0.</summary>
    public static IReadOnlyDictionary<string, int> Summary(string output)
    {
        string? line = output.Split('\n').LastOrDefault(l => SummaryLine().IsMatch(l));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["passed"] = 0, ["failed"] = 0, ["xfailed"] = 0, ["xpassed"] = 0, ["error"] = 0, ["skipped"] = 0,
        };
        foreach (Match m in Outcome().Matches(line ?? string.Empty))
        {
            string what = m.Groups["what"].Value;
            counts[what.StartsWith("error", StringComparison.Ordinal) ? "error" : what] = int.Parse(m.Groups["n"].Value);
        }

        return counts;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string? FindPython()
    {
        string? onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "python3"))
            .FirstOrDefault(File.Exists);
        foreach (string candidate in new[] { onPath, "/usr/bin/python3" }.OfType<string>().Distinct())
        {
            if (HasCryptography40(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool HasCryptography40(string python)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import cryptography,sys; sys.exit(0 if int(cryptography.__version__.split('.')[0]) >= 40 else 1)");
        try
        {
            using Process process = Process.Start(start)!;
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^=*\s*\d+ \w+.* in [\d.]+s", RegexOptions.None, 1000)]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"(?<n>\d+) (?<what>passed|failed|xfailed|xpassed|errors?|skipped)", RegexOptions.None, 1000)]
    private static partial Regex Outcome();
}
