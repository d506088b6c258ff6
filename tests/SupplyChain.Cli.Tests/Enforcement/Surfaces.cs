using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupplyChain.Http;
using SupplyChain.Admission.Hosting;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Model;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Enforcement;

/// <summary>What a surface answered: allowed or not, and the code it gave.</summary>
public sealed record SurfaceAnswer(bool Allowed, string? Code, string Detail);

/// <summary>
/// The three ways a case is judged, each as a user meets it: the library (<see cref="PolicyEvaluator"/> with the
/// evaluation's read budget over the registry client), the CLI (<c>signcli verify IMAGE --policy FILE --output json</c>,
/// in process), and the webhook (<see cref="AdmissionServer"/> started on 127.0.0.1 over TLS with the case's policy and
/// the world's trusted root, reviewing a Pod that runs the image). Registry retries are short everywhere, so a failing
/// host answers within seconds; the webhook's deadline is the API server's default 10 s.
/// </summary>
public static class Surfaces
{
    private static readonly HttpRetryPolicy FastRetry = HttpRetryPolicy.Default with
    {
        MaxAttempts = 2,
        InitialDelay = TimeSpan.FromMilliseconds(50),
        MaxTotalDelay = TimeSpan.FromMilliseconds(200),
        AttemptTimeout = TimeSpan.FromSeconds(2),
    };

    public static Task<SurfaceAnswer> JudgeAsync(Surface surface, EnforcementWorld world, CaseSetup setup, string folder) => surface switch
    {
        Surface.Library => LibraryAsync(world, setup),
        Surface.Cli => Task.FromResult(Cli(world, setup, folder)),
        _ => WebhookAsync(world, setup, folder),
    };

    private static async Task<SurfaceAnswer> LibraryAsync(EnforcementWorld world, CaseSetup setup)
    {
        ImagePolicy policy;
        try
        {
            policy = ImagePolicy.Parse(setup.Policy, world.Folder);
        }
        catch (SupplyChainException ex)
        {
            return new SurfaceAnswer(false, ex.Code, ex.Message);
        }

        using var client = new OciRegistryClient(new OciRegistryClientOptions { Retry = FastRetry, Credentials = setup.Authenticated ? world.Credentials : null });
        using var budget = EvaluationBudget.CreateDefault();
        PolicyVerdict verdict = await EvaluationBudget.CreateEvaluator(policy, client, TrustedRoot.Parse(File.ReadAllBytes(world.TrustedRootPath)), budget)
            .EvaluateAsync(ImageReference.Parse(setup.Image));
        return new SurfaceAnswer(verdict.Allowed, verdict.Error?.Code, verdict.ErrorDetail ?? "");
    }

    private static SurfaceAnswer Cli(EnforcementWorld world, CaseSetup setup, string folder)
    {
        string policy = Path.Combine(folder, "policy.yaml");
        File.WriteAllText(policy, setup.Policy);
        Directory.CreateDirectory(Path.Combine(folder, "keys"));
        foreach (string key in Directory.GetFiles(Path.Combine(world.Folder, "keys")))
        {
            File.Copy(key, Path.Combine(folder, "keys", Path.GetFileName(key)), overwrite: true);
        }

        List<string> args = ["verify", setup.Image, "--policy", policy, "--trusted-root", world.TrustedRootPath, "--output", "json"];
        if (setup.Authenticated)
        {
            args.AddRange(["--authfile", world.DockerConfigPath]);
        }

        CliRun run = CliRunner.RunWith(new TestEnvironment(), null, options => new OciRegistryClient(options with { Retry = FastRetry }), [.. args]);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        if (run.Stdout.TrimStart().StartsWith('{'))
        {
            JsonNode verdict = JsonNode.Parse(run.Stdout)!;
            bool allowed = (bool)verdict["allowed"]!;
            Assert.Equal(allowed, run.ExitCode == 0);
            return new SurfaceAnswer(allowed, (string?)verdict["error"], run.ToString());
        }

        Assert.NotEqual(0, run.ExitCode);
        return new SurfaceAnswer(false, run.Code, run.ToString());
    }

    private static async Task<SurfaceAnswer> WebhookAsync(EnforcementWorld world, CaseSetup setup, string folder)
    {
        string policy = Path.Combine(folder, "policy.yaml");
        File.WriteAllText(policy, setup.Policy);
        Directory.CreateDirectory(Path.Combine(folder, "keys"));
        foreach (string key in Directory.GetFiles(Path.Combine(world.Folder, "keys")))
        {
            File.Copy(key, Path.Combine(folder, "keys", Path.GetFileName(key)), overwrite: true);
        }

        LoopbackTls tls = LoopbackTls.Write(folder);
        var logs = new LogLines();
        await using AdmissionServer server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = tls.CertificatePath,
            TlsKeyPath = tls.KeyPath,
            PolicyPath = policy,
            TrustedRootPath = world.TrustedRootPath,
            DockerConfigPath = setup.Authenticated ? world.DockerConfigPath : null,
            Registry = new OciRegistryClientOptions { Retry = FastRetry, Credentials = setup.Authenticated ? new Oci.Registry.Auth.DockerConfigCredentialSource(world.DockerConfigPath) : null },
            LoggerProvider = logs,
        });

        using HttpClient http = tls.CreateClient(TimeSpan.FromSeconds(30));
        string review = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"enforce","kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},"namespace":"default","operation":"CREATE","userInfo":{"username":"attacker"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"IMAGE"}]}}}}"""
            .Replace("IMAGE", setup.Image, StringComparison.Ordinal);
        using var content = new StringContent(review, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(new Uri(server.BaseAddress, "/validate?timeout=10s"), content);
        string body = await response.Content.ReadAsStringAsync();
        JsonNode answer = JsonNode.Parse(body)!["response"]!;
        bool allowed = (bool)answer["allowed"]!;
        string? message = (string?)answer["status"]?["message"];
        string? code = message is { Length: >= 6 } && message.StartsWith("SC", StringComparison.Ordinal) ? message[..6] : null;

        // A policy the webhook refused to load: it is not ready and denies; the log names the policy's own code.
        string detail = body + "\n" + string.Join("\n", logs.Lines);
        return new SurfaceAnswer(allowed, code, detail);
    }

    /// <summary>Log lines of the webhook (to show why a policy did not load).</summary>
    private sealed class LogLines : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}
