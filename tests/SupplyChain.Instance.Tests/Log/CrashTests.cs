using System.Diagnostics;
using System.Text;
using SupplyChain.Instance.Log;
using SupplyChain.Testing;

namespace SupplyChain.Instance.Tests.Log;

/// <summary>
/// Issue 8: "a kill at any moment loses no acknowledged entry and leaves a log that verifies". A separate process
/// appends and prints each acknowledged index; it is killed (SIGKILL) at a random moment, several times.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const int Rounds = 5;

    private readonly string _dir = LogTestKit.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Killing_the_appending_process_loses_no_acknowledged_entry()
    {
        string keyFile = Path.Combine(_dir, "key.pem");
        await File.WriteAllTextAsync(keyFile, LogTestKit.Signer.ToPkcs8Pem());
        string logDir = Path.Combine(_dir, "log");
        var acknowledged = new Dictionary<long, byte[]>();
        var random = new Random();
        for (int round = 0; round < Rounds; round++)
        {
            int acknowledgedBefore = acknowledged.Count;
            foreach ((long index, byte[] entry) in await RunAndKillAsync(logDir, keyFile, round, random.Next(20, 400)))
            {
                Assert.True(acknowledged.TryAdd(index, entry), $"index {index} acknowledged twice");
            }

            Assert.True(acknowledged.Count > acknowledgedBefore, $"round {round} acknowledged nothing before the kill");

            // After each kill: the log on disk verifies as it is (leftovers past the checkpoint are ignored).
            LogVerificationReport report = LogVerifier.Verify(logDir, LogTestKit.Signer.VerifierKey);
            Assert.True(report.EntriesChecked >= acknowledged.Count);
        }

        await using TileLog log = TileLog.Open(logDir, LogTestKit.Signer);
        foreach ((long index, byte[] entry) in acknowledged)
        {
            Assert.Equal(entry, log.ReadEntry(index).ToArray());
        }

        LogAppendResult after = await log.AppendAsync("after the crashes"u8.ToArray());
        Assert.True(after.Index >= acknowledged.Count);
        Assert.True(LogTestKit.CoreVerifiesInclusion("after the crashes"u8.ToArray(), after.Index, after.TreeSize, after.InclusionProof, after.RootHash.Span));
        await log.DisposeAsync();
        Assert.Equal(after.TreeSize, LogVerifier.Verify(logDir, LogTestKit.Signer.VerifierKey).EntriesChecked);
    }

    /// <summary>Starts the host, waits for its first acknowledged append, kills it after <paramref name="delayMs"/> and returns the complete lines it printed.</summary>
    private static async Task<List<(long Index, byte[] Entry)>> RunAndKillAsync(string logDir, string keyFile, int round, int delayMs)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { HostDll(), logDir, keyFile, LogTestKit.Origin, round.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        Task reading = Task.Run(async () =>
        {
            char[] buffer = new char[4096];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (output)
                {
                    output.Append(buffer, 0, read);
                }
            }
        });

        var waited = Stopwatch.StartNew();
        while (true)
        {
            lock (output)
            {
                if (output.ToString().Contains('\n', StringComparison.Ordinal))
                {
                    break;
                }
            }

            if (process.HasExited)
            {
                Assert.Fail("the crash host exited: " + await errors);
            }

            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the crash host acknowledged nothing");
            await Task.Delay(10);
        }

        await Task.Delay(delayMs);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await reading;

        // Only complete lines count: a line cut by the kill was not (fully) reported.
        string text = output.ToString();
        var lines = text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Select(line => line.Split(' ')).Select(parts => (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), Convert.FromBase64String(parts[1])))];
    }

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The host's dll, built by the test project's reference, beside this project's output (same configuration and framework).</summary>
    private static string HostDll()
    {
        string testProject = Path.Combine(TestPaths.RepositoryRoot, "tests", "SupplyChain.Instance.Tests");
        string outputSuffix = Path.GetRelativePath(testProject, AppContext.BaseDirectory);
        string dll = Path.Combine(TestPaths.RepositoryRoot, "tests", "SupplyChain.Instance.CrashHost", outputSuffix, "SupplyChain.Instance.CrashHost.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build tests/SupplyChain.Instance.Tests (it builds the crash host)");
        return dll;
    }
}
