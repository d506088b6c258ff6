using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// The real server process started with the air-gapped Deployment's own args (mount paths mapped into a temporary
/// folder, the listen address onto a free loopback port): the flags parse, the ConfigMap's example policy and a
/// mounted trusted_root.json load, and the probes' paths answer over TLS, as the kubelet would call them.
/// </summary>
public sealed class DeployedServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("supplychain-deploy-").FullName;

    [Fact]
    public async Task The_deployments_args_start_a_server_that_becomes_ready_and_answers_the_probes_over_tls()
    {
        Yaml overlay = Yaml.LoadOne(Path.Combine(DeployManifests.AirGapped, "deployment-trusted-root.yaml"));
        Yaml baseContainer = DeployManifests.Container(DeployManifests.Deployment);
        var mountPaths = baseContainer["volumeMounts"].Items.Concat(DeployManifests.Container(overlay)["volumeMounts"].Items)
            .Select(m => m["mountPath"].Str!).ToList();

        // What the volumes hold in the cluster: the cert-manager Secret, the policy ConfigMap, the trusted-root ConfigMap.
        using X509Certificate2 certificate = WriteTlsPair(Path.Combine(_dir, "etc/supplychain/tls"));
        Yaml configMap = DeployManifests.Single(DeployManifests.BaseObjects, "ConfigMap", "supplychain-admission-policy");
        Directory.CreateDirectory(Path.Combine(_dir, "etc/supplychain/policy"));
        File.WriteAllText(Path.Combine(_dir, "etc/supplychain/policy/policy.yaml"), configMap["data"]["policy.yaml"].Str);
        Directory.CreateDirectory(Path.Combine(_dir, "etc/supplychain/trust"));
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Core", "TrustRoots", "trusted_root.production.json"), Path.Combine(_dir, "etc/supplychain/trust/trusted_root.json"));

        int port = FreePort();
        var args = new List<string>();
        foreach (string arg in DeployManifests.Container(overlay)["args"].Strings)
        {
            string? mount = mountPaths.FirstOrDefault(m => arg.Contains("=" + m + "/", StringComparison.Ordinal));
            args.Add(arg.StartsWith("--listen=", StringComparison.Ordinal) ? $"--listen=127.0.0.1:{port}"
                : mount is null ? arg
                : arg.Replace("=" + mount + "/", "=" + _dir + mount + "/", StringComparison.Ordinal));
        }

        Assert.All(args.Where(a => a.Contains("=/", StringComparison.Ordinal)), a => Assert.Contains(_dir, a, StringComparison.Ordinal));

        string server = Path.Combine(AppContext.BaseDirectory, "SupplyChain.Admission.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(server);
        args.ForEach(start.ArgumentList.Add);
        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { if (output.Length < 64 * 1024) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { lock (output) { if (output.Length < 64 * 1024) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var handler = new HttpClientHandler
            {
                // Pinned to the certificate the test wrote: the server really presents the mounted pair.
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.RawData.AsSpan().SequenceEqual(certificate.RawData),
            };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/") };
            HttpStatusCode ready = await PollReadyAsync(client, process);
            string log() { lock (output) { return output.ToString(); } }
            Assert.True(ready == HttpStatusCode.OK, $"/readyz answered {ready}; server output:\n{log()}");

            using HttpResponseMessage health = await client.GetAsync(new Uri("healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            string metrics = await client.GetStringAsync(new Uri("metrics", UriKind.Relative));
            Assert.Contains("supplychain_admission_ready 1", metrics, StringComparison.Ordinal);

            // One review through /validate: an image in a registry that refuses connections (loopback port 1), which no
            // rule of the example policy matches, is denied by the default action without any request to that registry.
            string review = JsonSerializer.Serialize(new
            {
                apiVersion = "admission.k8s.io/v1",
                kind = "AdmissionReview",
                request = new
                {
                    uid = "0b5e5c3e-deploy-test",
                    kind = new { group = "", version = "v1", kind = "Pod" },
                    resource = new { group = "", version = "v1", resource = "pods" },
                    @namespace = "default",
                    operation = "CREATE",
                    @object = new { apiVersion = "v1", kind = "Pod", metadata = new { name = "p" }, spec = new { containers = new[] { new { name = "c", image = "127.0.0.1:1/team/app@sha256:" + new string('a', 64) } } } },
                },
            });
            using var content = new StringContent(review, Encoding.UTF8, "application/json");
            using HttpResponseMessage answer = await client.PostAsync(new Uri("validate?timeout=10s", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using JsonDocument json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            JsonElement response = json.RootElement.GetProperty("response");
            Assert.Equal("0b5e5c3e-deploy-test", response.GetProperty("uid").GetString());
            Assert.False(response.GetProperty("allowed").GetBoolean());
            Assert.Equal(403, response.GetProperty("status").GetProperty("code").GetInt32());
            Assert.Matches(@"\ASC5101: ", response.GetProperty("status").GetProperty("message").GetString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Polls /readyz as the readiness probe does, until 200, the process exits, or a generous bound (not a timing assertion).</summary>
    private static async Task<HttpStatusCode> PollReadyAsync(HttpClient client, Process process)
    {
        HttpStatusCode last = 0;
        for (int attempt = 0; attempt < 600 && !process.HasExited; attempt++)
        {
            try
            {
                using HttpResponseMessage ready = await client.GetAsync(new Uri("readyz", UriKind.Relative));
                last = ready.StatusCode;
                if (last == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return last;
    }

    /// <summary>Writes tls.crt and tls.key as cert-manager does (PEM; an ECDSA P-256 key) for the Service's DNS name.</summary>
    private static X509Certificate2 WriteTlsPair(string folder)
    {
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=supplychain-admission.supplychain-system.svc", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("supplychain-admission.supplychain-system.svc");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "tls.key"), key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
