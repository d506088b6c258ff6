using System.Net;
using System.Security.Cryptography;
using SupplyChain.Admission.Hosting;
using SupplyChain.Testing.Virtual;
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
            TufHttpMessageHandler = tuf, // default repository URL: the production one, with the embedded root
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
    public async Task A_working_tuf_repository_makes_it_ready_with_the_trusted_root_it_serves()
    {
        await using WebhookHarness files = await WebhookHarness.StartAsync();
        using var sigstore = VirtualSigstore.Create();
        using var repo = new RepoBuilder(DateTimeOffset.UtcNow);
        repo.Targets["trusted_root.json"] = sigstore.TrustedRootBytes;
        repo.PublishRoot();
        repo.PublishTopLevel();
        await using TestServer tuf = await TestServer.StartAsync(repo.Dir);
        await using AdmissionServer server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            TlsCertificatePath = files.CertificatePath,
            TlsKeyPath = files.KeyPath,
            PolicyPath = files.PolicyPath,
            TufRepositoryUrl = tuf.Url,
            TufInitialRootPath = Path.Combine(repo.Dir, "1.root.json"),
            RegistryClient = files.Registry,
            ReloadInterval = TimeSpan.FromHours(1),
        });

        // Whether the background first fetch or this reload loads it, the trust material is the repository's target.
        IReadOnlyList<ReloadOutcome> outcomes = await server.ReloadNowAsync();
        Assert.NotEqual(ReloadResult.Failed, Assert.Single(outcomes, o => o.What == "trust").Result);
        Assert.True(server.IsReady);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(sigstore.TrustedRootBytes)), server.CurrentSnapshot!.TrustRootVersion);
        using HttpClient client = files.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(server.BaseAddress, "/readyz"))).StatusCode);
        Assert.Contains(tuf.Requests, p => p.EndsWith(".trusted_root.json", StringComparison.Ordinal));
    }
}
