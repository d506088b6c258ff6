using System.Diagnostics;
using System.Runtime.Versioning;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Instance;

/// <summary>
/// Issue 16.5: the README's <c>./signcli</c> publishes once, then starts the executable without a build check; it publishes
/// again only when a source changed or the mode did. The real script runs in a copy of the checkout's layout with a
/// stand-in <c>dotnet</c> first on the PATH, which records each publish and writes a stand-in signcli that echoes its
/// arguments (the real publishes are exercised by SupplyChain.AotCheck.Tests and the benchmark).
/// </summary>
[UnsupportedOSPlatform("windows")] // ./signcli is a bash script (Windows users run `dotnet run` or the tool).
public sealed class QuickStartScriptTests : IDisposable
{
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        echo "$*" >> "$FAKE_DOTNET_LOG"
        echo "publish chatter that must not reach signcli's stdout"
        while [ $# -gt 0 ]; do if [ "$1" = "-o" ]; then out=$2; fi; shift; done
        mkdir -p "$out"
        printf '#!/bin/sh\necho "signcli $*"\nexit 7\n' > "$out/signcli"
        chmod +x "$out/signcli"
        """;

    private readonly string _checkout = Directory.CreateTempSubdirectory("sc-quickstart-").FullName;
    private readonly string _log;
    private readonly string _bin;

    public QuickStartScriptTests()
    {
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "signcli"), Path.Combine(_checkout, "signcli"));
        File.SetUnixFileMode(Path.Combine(_checkout, "signcli"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (string file in (string[])["cli/SupplyChain.Cli/Program.cs", "src/SupplyChain.Core/Bundle.cs", "admission/SupplyChain.Admission.Core/Review/AdmissionReview.cs", "Directory.Build.props", "Directory.Packages.props", "global.json"])
        {
            string path = Path.Combine(_checkout, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "source");
        }

        _bin = Directory.CreateDirectory(Path.Combine(_checkout, "fake-bin")).FullName;
        File.WriteAllText(Path.Combine(_bin, "dotnet"), FakeDotnet.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(Path.Combine(_bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _log = Path.Combine(_checkout, "dotnet.log");
    }

    public void Dispose() => Directory.Delete(_checkout, recursive: true);

    [Fact]
    public async Task The_script_is_executable_and_publishes_signcli_in_release()
    {
        string script = Path.Combine(TestPaths.RepositoryRoot, "signcli");
        Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, "./signcli must be executable (git update-index --chmod=+x signcli)");

        await RunAsync("managed", "--version");

        string publish = Assert.Single(Publishes());
        Assert.StartsWith($"publish {_checkout}/cli/SupplyChain.Cli -c Release -o {_checkout}/artifacts/signcli ", publish, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_publishes_once_then_runs_the_executable_directly_passing_arguments_exit_code_and_a_clean_stdout()
    {
        (int exit, string stdout, string stderr) = await RunAsync("managed", "verify-blob", "a b.txt", "--bundle", "x.json");
        Assert.Equal(7, exit);
        Assert.Equal("signcli verify-blob a b.txt --bundle x.json\n", stdout);
        Assert.Contains("publishing cli/SupplyChain.Cli (managed)", stderr, StringComparison.Ordinal);
        Assert.Contains("publish chatter", stderr, StringComparison.Ordinal);

        (int again, string againOut, string againErr) = await RunAsync("managed", "verify-blob", "--help");
        Assert.Equal(7, again);
        Assert.Equal("signcli verify-blob --help\n", againOut);
        Assert.Equal(string.Empty, againErr);
        Assert.Single(Publishes());
    }

    [Fact]
    public async Task A_changed_source_or_a_different_mode_publishes_again_and_only_then()
    {
        await RunAsync("managed", "--version");
        PublishedAMinuteAgo();
        File.WriteAllText(Path.Combine(_checkout, "src/SupplyChain.Core/Bundle.cs"), "edited");
        await RunAsync("managed", "--version");
        await RunAsync("managed", "--version");
        Assert.Equal(2, Publishes().Length);

        await RunAsync("native", "--version");
        string[] publishes = Publishes();
        Assert.Equal(3, publishes.Length);
        Assert.Contains("-p:PublishReadyToRun=true", publishes[0], StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=false", publishes[0], StringComparison.Ordinal);
        Assert.DoesNotContain("PublishAot=false", publishes[2], StringComparison.Ordinal);
        Assert.DoesNotContain("ReadyToRun", publishes[2], StringComparison.Ordinal);

        // Files under bin/ and obj/ are build output, not sources.
        string obj = Directory.CreateDirectory(Path.Combine(_checkout, "src/SupplyChain.Core/obj")).FullName;
        File.WriteAllText(Path.Combine(obj, "project.assets.json"), "{}");
        File.SetLastWriteTimeUtc(Path.Combine(obj, "project.assets.json"), DateTime.UtcNow.AddMinutes(1));
        await RunAsync("native", "--version");
        Assert.Equal(3, Publishes().Length);
    }

    [Fact]
    public async Task An_unknown_mode_is_a_usage_error_before_any_publish()
    {
        (int exit, string _, string stderr) = await RunAsync("fast", "--version");

        Assert.Equal(2, exit);
        Assert.Contains("SIGNCLI_PUBLISH must be native or managed", stderr, StringComparison.Ordinal);
        Assert.Empty(Publishes());
    }

    /// <summary>Dates the published executable a minute back, so that a file written now is newer.</summary>
    private void PublishedAMinuteAgo() =>
        File.SetLastWriteTimeUtc(Path.Combine(_checkout, "artifacts", "signcli", "signcli"), DateTime.UtcNow.AddMinutes(-1));

    private string[] Publishes() => File.Exists(_log) ? File.ReadAllLines(_log) : [];

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string mode, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(_checkout, "signcli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _checkout,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = _bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["FAKE_DOTNET_LOG"] = _log;
        start.Environment["SIGNCLI_PUBLISH"] = mode;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
