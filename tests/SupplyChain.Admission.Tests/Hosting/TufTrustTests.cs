using System.Net;
using SupplyChain.Admission.Hosting;
using SupplyChain.Testing;
using SupplyChain.Tuf.Tests;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>
/// Trust material from TUF: a generated repository served over loopback HTTP makes the webhook ready with the trusted
/// root it serves; a repository that fails leaves the webhook serving but not ready (SC7207), and retried.
/// </summary>
public class TufTrustTests
{
    private sealed class FailingTuf : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }

    [Fact]
    public async Task An_unreachable_tuf_repository_leaves_it_not_ready_with_SC7207_until_a_retry_succeeds()
    {
        await using WebhookHarness files = await WebhookHarness.StartAsync();
        using var tuf = new FailingTuf();
        await using AdmissionServer server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = files.CertificatePath,
            TlsKeyPath = files.KeyPath,
            PolicyPath = files.PolicyPath,
            TufTransport = tuf, // default repository URL: the production one, with the embedded root
            TufRetryInterval = TimeSpan.FromMilliseconds(1),
            RegistryClient = files.Registry,
            ReloadInterval = TimeSpan.FromHours(1),
        });

        // The first fetch runs in the background; /healthz answers meanwhile.
        using HttpClient client = files.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseAddress, "/healthz"))).StatusCode);
        IReadOnlyList<ReloadOutcome> outcomes = await server.ReloadNowAsync();
        ReloadOutcome trust = Assert.Single(outcomes, o => o.What == "trust");
        Assert.Equal(ReloadResult.Failed, trust.Result);
        Assert.Equal("SC7207", trust.Error!.Code);
        Assert.StartsWith("SC3", ((SupplyChain.Core.Errors.SupplyChainException)trust.Error.InnerException!).Code, StringComparison.Ordinal);
        Assert.False(server.IsReady);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri(server.BaseAddress, "/readyz"))).StatusCode);
        Assert.True(tuf.Requests >= 1);
    }

    [Fact]
    public async Task Another_tuf_repository_without_its_initial_root_does_not_start_SC7208()
    {
        // Thrown while the host builds its trust source (a container singleton): the built host is disposed, nothing listens.
        await using WebhookHarness files = await WebhookHarness.StartAsync();
        var ex = await Assert.ThrowsAnyAsync<SupplyChain.Core.Errors.SupplyChainException>(() => AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = files.CertificatePath,
            TlsKeyPath = files.KeyPath,
            PolicyPath = files.PolicyPath,
            TufRepositoryUrl = new Uri("https://tuf.example/"),
            RegistryClient = files.Registry,
        }));
        Assert.Equal("SC7208", ex.Code);
        Assert.Contains("--tuf-root", ex.Message, StringComparison.Ordinal);
    }

    [SharedFixtureFact]
    public async Task A_working_tuf_repository_makes_it_ready_with_the_trusted_root_it_serves()
    {
        // The real Sigstore staging repository (../shared/tuf), served on loopback, read at a time its metadata is valid,
        // with the staging root embedded in SupplyChain.Tuf as the initial root (the default for the staging URL's path).
        await using WebhookHarness files = await WebhookHarness.StartAsync();
        string repository = Tuf.Tests.Tuf.Repo("sigstore-staging");
        await using TestServer tuf = await TestServer.StartAsync(repository);
        await using AdmissionServer server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = files.CertificatePath,
            TlsKeyPath = files.KeyPath,
            PolicyPath = files.PolicyPath,
            TufRepositoryUrl = tuf.Url,
            TufInitialRootPath = Path.Combine(repository, "1.root.json"),
            TimeProvider = new FrozenClock(Tuf.Tests.Tuf.NewestValidAt),
            RegistryClient = files.Registry,
            ReloadInterval = TimeSpan.FromHours(1),
        });

        // Whether the background first fetch or this reload loads it, the trust material is the repository's target.
        IReadOnlyList<ReloadOutcome> outcomes = await server.ReloadNowAsync();
        Assert.NotEqual(ReloadResult.Failed, Assert.Single(outcomes, o => o.What == "trust").Result);
        Assert.True(server.IsReady);
        // The staging trusted_root.json target is named by its SHA-256 (consistent snapshots), which is its version.
        Assert.Equal("sha256:44deb991d4bbf2150751ccee235d9810bce4434383c26d8898c1bcadbace6ed8", server.CurrentSnapshot!.TrustRootVersion);
        Assert.Contains(tuf.Requests, p => p.EndsWith(".trusted_root.json", StringComparison.Ordinal));
        using HttpClient client = files.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseAddress, "/readyz"))).StatusCode);
    }
}
