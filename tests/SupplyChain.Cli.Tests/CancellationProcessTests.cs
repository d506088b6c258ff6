using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// Ctrl-C and SIGTERM reach every library call: a real signcli process, blocked on a loopback server that accepts the
/// connection and never answers, is sent the signal and exits 130 with the one line SC8120, long before any timeout or
/// retry of the clients would end it (they would end it with SC4002/SC22xx and exit 4), and leaves no output file behind.
/// </summary>
public sealed class CancellationProcessTests
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    /// <summary>How long the process may take to exit after the signal before the test calls it hung (a hang guard, not a measurement).</summary>
    private static readonly TimeSpan ExitGuard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sigint_while_the_registry_never_answers_exits_130_with_SC8120()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;

        (int exit, string stdout, string stderr) = await RunUntilSignalAsync(silent, SigInt, "resolve", $"127.0.0.1:{port}/app:latest");

        Assert.True(exit == 130, $"exit {exit}; stderr: {stderr}");
        Assert.Equal("SC8120: cancelled (Ctrl-C or SIGTERM)", stderr.TrimEnd());
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Sigterm_while_rekor_never_answers_exits_130_and_writes_no_bundle()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        string dir = Directory.CreateTempSubdirectory("sc-cancel-").FullName;
        try
        {
            string artifact = Path.Combine(dir, "artifact.txt");
            string key = Path.Combine(dir, "signing.key");
            string bundle = Path.Combine(dir, "artifact.sigstore.json");
            File.WriteAllText(artifact, "never signed\n");
            using (ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
            }

            (int exit, _, string stderr) = await RunUntilSignalAsync(silent, SigTerm, "sign-blob", artifact, "--key", key, "--bundle", bundle, "--rekor-url", $"http://127.0.0.1:{port}");

            Assert.True(exit == 130, $"exit {exit}; stderr: {stderr}");
            Assert.EndsWith("SC8120: cancelled (Ctrl-C or SIGTERM)", stderr.TrimEnd(), StringComparison.Ordinal);
            Assert.Equal(new[] { "artifact.txt", "signing.key" }, Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Starts signcli, waits until it has connected to <paramref name="silent"/> (so it is blocked on the network), sends the signal, and waits for the exit.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunUntilSignalAsync(TcpListener silent, int signal, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(SigncliBuildOutput.Dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start signcli");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using TcpClient held = await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(0, NativeMethods.Kill(process.Id, signal));
            using var guard = new CancellationTokenSource(ExitGuard);
            await process.WaitForExitAsync(guard.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"signcli {string.Join(' ', args)} did not {(ex is TimeoutException ? "connect" : "exit after the signal")}: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
