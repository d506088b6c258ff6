using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SupplyChain.Testing;
using Xunit.Abstractions;

namespace SupplyChain.AotCheck.Tests;

/// <summary>
/// Issue 16 item 4: the webhook ships as a NativeAOT executable (admission/Dockerfile). Its publish must raise no trim or
/// AOT warning (the ILCompiler sees ASP.NET Core, the options and metrics code and KubernetesClient.Aot whole), and the
/// executable must serve: ready on <c>/readyz</c> with the Deployment's flags, a review answered (a Pod whose image no
/// rule covers is denied SC5101 without a registry request), metrics exported.
/// </summary>
[Collection(NativePublishCollection.Name)]
public sealed class NativeWebhookTests(ITestOutputHelper log) : IDisposable
{
    private const string Review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"5d6e7f80-0000-4000-8000-000000000001",
        "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
        "namespace":"default","operation":"CREATE","userInfo":{"username":"aot-test"},
        "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},
        "spec":{"containers":[{"name":"c","image":"unruled.example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]}}}}
        """;

    private readonly string _work = Directory.CreateTempSubdirectory("sc-aotwebhook-").FullName;
    private string _thumbprint = string.Empty;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [NativeAotFact]
    public async Task The_webhook_publishes_natively_without_warnings_and_serves_a_review()
    {
        string project = Path.Combine(TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission");
        string configuration = typeof(NativeWebhookTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // The ILCompiler step is incremental: with its output up to date it would print no warning.
        foreach (string native in Directory.Exists(Path.Combine(project, "obj", configuration))
            ? Directory.GetDirectories(Path.Combine(project, "obj", configuration), "native", SearchOption.AllDirectories)
            : [])
        {
            Directory.Delete(native, recursive: true);
        }

        string output = Path.Combine(_work, "publish");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var publish = new ProcessStartInfo(dotnet) { WorkingDirectory = TestPaths.RepositoryRoot };
        publish.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        publish.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        (int exitCode, string stdout, string stderr) = await NativeSigncli.RunProcessAsync(
            publish, ["publish", Path.Combine(project, "SupplyChain.Admission.csproj"), "-c", configuration, "-r", "linux-x64", "-o", output, "-nodeReuse:false"], TimeSpan.FromMinutes(30));
        log.WriteLine($"dotnet publish admission/SupplyChain.Admission (NativeAOT): {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("Generating native code", stdout + stderr, StringComparison.Ordinal);
        IReadOnlyList<string> warnings = TrimWarnings.Parse(stdout + stderr);
        Assert.True(warnings.Count == 0, "trim/AOT warnings:\n" + string.Join('\n', warnings));
        string executable = Path.Combine(output, "SupplyChain.Admission");
        Assert.True(File.Exists(executable));
        Assert.False(File.Exists(Path.Combine(output, "SupplyChain.Admission.dll")), "a native publish ships no managed entry assembly");

        int port = FreePort();
        var serve = new ProcessStartInfo(executable) { WorkingDirectory = _work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in ServerArguments(port))
        {
            serve.ArgumentList.Add(argument);
        }

        using Process server = Process.Start(serve)!;
        Task<string> serverOut = server.StandardOutput.ReadToEndAsync();
        Task<string> serverErr = server.StandardError.ReadToEndAsync();
        try
        {
            using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == _thumbprint } };
            using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitReadyAsync(http, server);

            using var content = new StringContent(Review, Encoding.UTF8, "application/json");
            using HttpResponseMessage answer = await http.PostAsync(new Uri("validate", UriKind.Relative), content);
            string body = await answer.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("\"uid\":\"5d6e7f80-0000-4000-8000-000000000001\"", body, StringComparison.Ordinal);
            Assert.Contains("\"allowed\":false", body, StringComparison.Ordinal);
            Assert.Contains("SC5101", body, StringComparison.Ordinal);

            string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
            Assert.Contains("supplychain_admission_requests_total{operation=\"CREATE\",kind=\"Pod\"} 1", metrics, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            log.WriteLine(await serverOut + await serverErr);
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process server)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            Assert.False(server.HasExited, $"the webhook exited with {(server.HasExited ? server.ExitCode : 0)}");
            try
            {
                using HttpResponseMessage ready = await http.GetAsync(new Uri("readyz", UriKind.Relative), deadline.Token);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>The Deployment's flags: a TLS pair, the example policy of admission/deploy, a mounted trusted root.</summary>
    private List<string> ServerArguments(int port)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        _thumbprint = certificate.GetCertHashString(); // the client pins the one certificate the webhook was given
        File.WriteAllText(Path.Combine(_work, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_work, "tls.key"), key.ExportPkcs8PrivateKeyPem());

        // The policy is the ConfigMap's policy.yaml block, unindented.
        string[] configMap = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "admission", "deploy", "base", "policy-configmap.yaml"));
        int start = Array.FindIndex(configMap, l => l.TrimEnd() == "  policy.yaml: |") + 1;
        Assert.True(start > 0, "policy-configmap.yaml has no policy.yaml block");
        File.WriteAllLines(Path.Combine(_work, "policy.yaml"), configMap[start..].Select(l => l.Length >= 4 ? l[4..] : l.TrimStart()));
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "testdata", "github-instance", "trusted_root.staging.json"), Path.Combine(_work, "trusted_root.json"));
        return ["--listen", $"127.0.0.1:{port}", "--tls-cert", "tls.crt", "--tls-key", "tls.key", "--policy", "policy.yaml", "--trusted-root", "trusted_root.json"];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
