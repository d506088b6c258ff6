using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// A real registry for tests: Debian's <c>docker-registry</c> (CNCF distribution 2.8, which has no referrers API)
/// serving on 127.0.0.1 with a free port and temporary filesystem storage (deletes enabled), optionally behind htpasswd
/// basic auth. Started once per test class (see <see cref="RegistryFixture"/>), killed and cleaned up on dispose.
/// </summary>
public sealed class DistributionRegistry : IDisposable
{
    /// <summary>The binary Debian's <c>docker-registry</c> package installs.</summary>
    public const string Binary = "/usr/bin/docker-registry";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private DistributionRegistry(Process process, string directory, int port, (string User, string Password)? credentials)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Credentials = credentials;
    }

    /// <summary>Whether the binary is installed.</summary>
    public static bool IsAvailable => File.Exists(Binary);

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of references.</summary>
    public string Host => "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The htpasswd user and password when started with basic auth.</summary>
    public (string User, string Password)? Credentials { get; }

    /// <summary>Starts a registry and waits until <c>/v2/</c> answers.</summary>
    /// <param name="basicAuth">Protect it with htpasswd basic auth (user <c>tester</c>, a random password).</param>
    /// <returns>The running registry.</returns>
    public static DistributionRegistry Start(bool basicAuth = false)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"{Binary} is missing: install Debian's docker-registry package (.ci/run does)");
        }

        string directory = Directory.CreateTempSubdirectory("sc-registry-").FullName;
        int port = FreePort();
        (string User, string Password)? credentials = null;
        var config = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log:")
            .AppendLine("  level: warn")
            .AppendLine("  accesslog:")
            .AppendLine("    disabled: true")
            .AppendLine("storage:")
            .AppendLine("  filesystem:")
            .AppendLine($"    rootdirectory: {Path.Combine(directory, "data")}")
            .AppendLine("  delete:")
            .AppendLine("    enabled: true")
            .AppendLine("http:")
            .AppendLine($"  addr: 127.0.0.1:{port}")
            .AppendLine($"  secret: {Guid.NewGuid():N}");
        if (basicAuth)
        {
            credentials = ("tester", "pw-" + Guid.NewGuid().ToString("N")[..12]);
            string htpasswd = Path.Combine(directory, "htpasswd");
            File.WriteAllText(htpasswd, Run("htpasswd", "-Bbn", credentials.Value.User, credentials.Value.Password).Trim() + "\n");
            config.AppendLine("auth:").AppendLine("  htpasswd:").AppendLine("    realm: supplychain-test").AppendLine($"    path: {htpasswd}");
        }

        string configPath = Path.Combine(directory, "config.yml");
        File.WriteAllText(configPath, config.ToString());
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        var registry = new DistributionRegistry(process, directory, port, credentials);
        process.OutputDataReceived += (_, e) => registry.AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => registry.AppendLog(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        registry.WaitUntilReady();
        return registry;
    }

    /// <summary>Runs a program and returns its standard output; throws with its standard error when it fails.</summary>
    /// <param name="program">The program (on PATH).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>Standard output.</returns>
    public static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish within 120 s");
        }

        return process.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 64 * 1024)
            {
                _log.AppendLine(line);
            }
        }
    }

    private void WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using HttpResponseMessage response = http.GetAsync(new Uri($"http://{Host}/v2/")).GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            Thread.Sleep(50);
        }

        string log;
        lock (_log)
        {
            log = _log.ToString();
        }

        Dispose();
        throw new InvalidOperationException("docker-registry did not become ready within 30 s:\n" + log);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
