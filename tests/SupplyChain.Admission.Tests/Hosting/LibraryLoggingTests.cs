using System.Net;
using Microsoft.Extensions.Logging;
using SupplyChain.Admission.Hosting;
using SupplyChain.Http;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>
/// The library components the host builds (TUF client, trusted-root source, registry client) log through the host's
/// ILoggerFactory: their events reach the webhook's logger providers, by category, beside its own.
/// </summary>
public class LibraryLoggingTests
{
    /// <summary>Refuses every connection (a repository or registry that is down).</summary>
    private sealed class Unavailable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"));
    }

    /// <summary>
    /// The harness's files, logging to <paramref name="logs"/>: trust from TUF over <paramref name="tuf"/> when given,
    /// else the mounted trusted root; the registry client built from <paramref name="registry"/> when given, else the
    /// harness's in-memory registry.
    /// </summary>
    private static AdmissionServerOptions Options(WebhookHarness files, CapturingLoggerProvider logs, HttpMessageHandler? tuf = null, OciRegistryClientOptions? registry = null) => new()
    {
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        TlsCertificatePath = files.CertificatePath,
        TlsKeyPath = files.KeyPath,
        PolicyPath = files.PolicyPath,
        TrustedRootPath = tuf is null ? files.TrustedRootPath : null,
        TufTransport = tuf,
        TufRetryInterval = TimeSpan.FromMilliseconds(1),
        Registry = registry,
        RegistryClient = registry is null ? files.Registry : null,
        ReloadInterval = TimeSpan.FromHours(1),
        LoggerProvider = logs,
    };

    [Fact]
    public async Task A_failing_tuf_repository_warns_through_the_hosts_logger()
    {
        await using WebhookHarness files = await WebhookHarness.StartAsync();
        using var tuf = new Unavailable();
        var logs = new CapturingLoggerProvider();
        await using AdmissionServer server = await AdmissionServer.StartAsync(Options(files, logs, tuf: tuf));

        await server.ReloadNowAsync();

        // The TUF client's HTTP layer (SupplyChain.Http: the request that failed after its attempts) and the trusted-root source (3071).
        Assert.Contains(logs.Lines, l => l.Category == "SupplyChain.Tuf.TufClient" && l.Level == LogLevel.Warning && l.Message.Contains("tuf-repo-cdn.sigstore.dev", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Category == "SupplyChain.Tuf.TrustedRoots.TufTrustedRootSource" && l.EventId == 3071 && l.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task The_registry_client_logs_through_the_hosts_logger()
    {
        await using WebhookHarness files = await WebhookHarness.StartAsync();
        await File.WriteAllTextAsync(files.PolicyPath, WebhookHarness.SignedByTestKey);
        using var registry = new Unavailable();
        var logs = new CapturingLoggerProvider();
        await using AdmissionServer server = await AdmissionServer.StartAsync(Options(files, logs, registry: new OciRegistryClientOptions { Transport = registry, Retry = HttpRetryPolicy.None })); // no LoggerFactory: the host's

        using HttpClient client = files.Client();
        using HttpResponseMessage response = await client.PostAsync(new Uri(server.BaseAddress, "/validate?timeout=10s"), WebhookHarness.Json(WebhookHarness.PodReview("uid-registry-log", "registry.test/apps/web:1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"allowed\":false", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Contains(logs.Lines, l => l.Category == "SupplyChain.Oci.Registry.OciRegistryClient" && l.Level == LogLevel.Warning && l.Message.Contains("registry.test", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Category == "SupplyChain.Admission" && l.EventId == 7200); // the host's own review line, same providers
    }
}
