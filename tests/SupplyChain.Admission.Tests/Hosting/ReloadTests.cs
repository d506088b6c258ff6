using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Admission.Hosting;
using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>Certificate, policy and trust-root reloads on a running webhook: what changes, what stays, nothing dropped.</summary>
public class ReloadTests
{
    private static async Task<X509Certificate2> PresentedAsync(WebhookHarness harness, X509Certificate2 trusted)
    {
        X509Certificate2? presented = null;
        using HttpClient client = SelfSignedTls.Client(trusted, c => presented = c);
        using HttpResponseMessage response = await client.GetAsync(harness.Url("/healthz"));
        response.EnsureSuccessStatusCode();
        return presented!;
    }

    [Fact]
    public async Task A_new_certificate_is_presented_from_the_next_handshake_and_a_broken_pair_keeps_the_old()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        Assert.Equal(harness.Tls.Certificate.Thumbprint, (await PresentedAsync(harness, harness.Tls.Certificate)).Thumbprint);

        // Renewed pair (as cert-manager rewrites the Secret).
        SelfSignedTls renewed = SelfSignedTls.Create("renewed.test");
        renewed.Write(harness.CertificatePath, harness.KeyPath);
        var outcomes = await harness.Server.ReloadNowAsync();
        Assert.Contains(outcomes, o => o is { What: "certificate", Result: ReloadResult.Reloaded });
        Assert.Equal(renewed.Certificate.Thumbprint, (await PresentedAsync(harness, renewed.Certificate)).Thumbprint);

        // The old certificate no longer passes a client that trusts only it.
        using (HttpClient old = SelfSignedTls.Client(harness.Tls.Certificate))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => old.GetAsync(harness.Url("/healthz")));
        }

        // A key that does not match the certificate: rejected with SC7205, the renewed pair stays, counted once.
        SelfSignedTls other = SelfSignedTls.Create("other.test");
        await File.WriteAllTextAsync(harness.KeyPath, other.KeyPem);
        outcomes = await harness.Server.ReloadNowAsync();
        ReloadOutcome failed = Assert.Single(outcomes, o => o.What == "certificate");
        Assert.Equal(ReloadResult.Failed, failed.Result);
        Assert.Equal("SC7205", failed.Error!.Code);
        Assert.Equal(renewed.Certificate.Thumbprint, (await PresentedAsync(harness, renewed.Certificate)).Thumbprint);
        Assert.Contains(await harness.Server.ReloadNowAsync(), o => o is { What: "certificate", Result: ReloadResult.Unchanged });

        // Garbage in the certificate file: also SC7205, still the renewed pair.
        await File.WriteAllTextAsync(harness.CertificatePath, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        outcomes = await harness.Server.ReloadNowAsync();
        Assert.Equal("SC7205", Assert.Single(outcomes, o => o.What == "certificate").Error!.Code);
        Assert.Equal(renewed.Certificate.Thumbprint, (await PresentedAsync(harness, renewed.Certificate)).Thumbprint);
        Assert.Equal(2, harness.Server.Metrics.ReloadCount("certificate", "failure"));
        Assert.Equal(1, harness.Server.Metrics.ReloadCount("certificate", "success"));
        Assert.Contains(harness.Logs.Lines, l => l.EventId == 7203 && l.Message.Contains("SC7205", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Message.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_swapped_through_a_kubernetes_style_data_symlink_is_reloaded()
    {
        string root = Path.Combine(Path.GetTempPath(), "admhost-mount-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await AssertSwapThroughDataSymlinkReloadsAsync(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task AssertSwapThroughDataSymlinkReloadsAsync(string root)
    {
        // Secret volumes: tls.crt -> ..data/tls.crt, ..data -> ..2026_11_22_1; an update writes a new folder and swaps ..data.
        string first = Path.Combine(root, "..v1");
        Directory.CreateDirectory(first);
        SelfSignedTls one = SelfSignedTls.Create("one.test");
        one.Write(Path.Combine(first, "tls.crt"), Path.Combine(first, "tls.key"));
        File.CreateSymbolicLink(Path.Combine(root, "..data"), "..v1");
        File.CreateSymbolicLink(Path.Combine(root, "tls.crt"), Path.Combine("..data", "tls.crt"));
        File.CreateSymbolicLink(Path.Combine(root, "tls.key"), Path.Combine("..data", "tls.key"));
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        await using AdmissionServer server = await AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            TlsCertificatePath = Path.Combine(root, "tls.crt"),
            TlsKeyPath = Path.Combine(root, "tls.key"),
            PolicyPath = harness.PolicyPath,
            TrustedRootPath = harness.TrustedRootPath,
            RegistryClient = harness.Registry,
            ReloadInterval = TimeSpan.FromHours(1),
        });

        string second = Path.Combine(root, "..v2");
        Directory.CreateDirectory(second);
        SelfSignedTls two = SelfSignedTls.Create("two.test");
        two.Write(Path.Combine(second, "tls.crt"), Path.Combine(second, "tls.key"));
        string swap = Path.Combine(root, "..data_tmp");
        File.CreateSymbolicLink(swap, "..v2");
        // rename(2) over the old link: atomic, as the kubelet does (File.Move refuses a link to a folder).
        using (var mv = System.Diagnostics.Process.Start("mv", ["-T", "-f", swap, Path.Combine(root, "..data")]))
        {
            await mv.WaitForExitAsync();
            Assert.Equal(0, mv.ExitCode);
        }

        Assert.Contains(await server.ReloadNowAsync(), o => o is { What: "certificate", Result: ReloadResult.Reloaded });

        X509Certificate2? presented = null;
        using HttpClient client = SelfSignedTls.Client(two.Certificate, c => presented = c);
        (await client.GetAsync(new Uri(server.BaseAddress, "/healthz"))).EnsureSuccessStatusCode();
        Assert.Equal(two.Certificate.Thumbprint, presented!.Thumbprint);
    }

    [Fact]
    public async Task Startup_without_a_readable_pair_fails_with_SC7205()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        var ex = await Assert.ThrowsAnyAsync<SupplyChain.Core.Errors.SupplyChainException>(() => AdmissionServer.StartAsync(new AdmissionServerOptions
        {
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            TlsCertificatePath = Path.Combine(harness.Directory, "missing.crt"),
            TlsKeyPath = harness.KeyPath,
            PolicyPath = harness.PolicyPath,
            TrustedRootPath = harness.TrustedRootPath,
            RegistryClient = harness.Registry,
        }));
        Assert.Equal("SC7205", ex.Code);
    }

    [Fact]
    public async Task A_bad_policy_keeps_the_old_one_with_SC7206_and_a_good_one_takes_effect()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        var image = await harness.PushAsync();
        using HttpClient client = harness.Client();
        string before = harness.Server.CurrentSnapshot!.PolicyVersion;
        Assert.True((await harness.PostReviewAsync(client, "p-1", image.Reference.ToString())).Allowed);

        await File.WriteAllTextAsync(harness.PolicyPath, "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\ndefaultAction: maybe\n");
        ReloadOutcome failed = Assert.Single(await harness.Server.ReloadNowAsync(), o => o.What == "policy");
        Assert.Equal(ReloadResult.Failed, failed.Result);
        Assert.Equal("SC7206", failed.Error!.Code);
        Assert.Equal(before, harness.Server.CurrentSnapshot!.PolicyVersion);
        Assert.True((await harness.PostReviewAsync(client, "p-2", image.Reference.ToString())).Allowed);
        Assert.Contains("supplychain_admission_reload_total{what=\"policy\",result=\"failure\"} 1\n", await client.GetStringAsync(harness.Url("/metrics")), StringComparison.Ordinal);

        await File.WriteAllTextAsync(harness.PolicyPath, WebhookHarness.DenyAll);
        Assert.Contains(await harness.Server.ReloadNowAsync(), o => o is { What: "policy", Result: ReloadResult.Reloaded });
        Assert.NotEqual(before, harness.Server.CurrentSnapshot!.PolicyVersion);
        AdmissionResponse denied = await harness.PostReviewAsync(client, "p-3", image.Reference.ToString());
        Assert.False(denied.Allowed);
        Assert.Matches("^SC[0-9]{4}", denied.Status!.Message);
    }

    [Fact]
    public async Task A_bad_trusted_root_keeps_the_old_one_with_SC7207_and_a_new_one_changes_the_trust_version()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        string before = harness.Server.CurrentSnapshot!.TrustRootVersion;
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(WebhookHarness.TrustedRootBytes)), before);

        await File.WriteAllTextAsync(harness.TrustedRootPath, "{\"mediaType\":\"nope\"}");
        ReloadOutcome failed = Assert.Single(await harness.Server.ReloadNowAsync(), o => o.What == "trust");
        Assert.Equal("SC7207", failed.Error!.Code);
        Assert.Equal(before, harness.Server.CurrentSnapshot!.TrustRootVersion);

        byte[] reformatted = [.. WebhookHarness.TrustedRootBytes, (byte)'\n', (byte)'\n'];
        await File.WriteAllBytesAsync(harness.TrustedRootPath, reformatted);
        Assert.Contains(await harness.Server.ReloadNowAsync(), o => o is { What: "trust", Result: ReloadResult.Reloaded });
        Assert.NotEqual(before, harness.Server.CurrentSnapshot!.TrustRootVersion);
    }

    [Fact]
    public async Task Policy_reloads_during_continuous_requests_drop_none_and_the_new_policy_takes_effect()
    {
        await using WebhookHarness harness = await WebhookHarness.StartAsync();
        var image = await harness.PushAsync();
        using HttpClient client = harness.Client();
        using var stop = new CancellationTokenSource();
        var answers = new ConcurrentBag<bool>();
        var failures = new ConcurrentBag<string>();
        int counter = 0;

        async Task PostLoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                string uid = "load-" + Interlocked.Increment(ref counter);
                try
                {
                    AdmissionResponse response = await harness.PostReviewAsync(client, uid, image.Reference.ToString());
                    answers.Add(response.Allowed);
                    if (!response.Allowed && response.Status?.Message.StartsWith("SC72", StringComparison.Ordinal) == true)
                    {
                        failures.Add(uid + ": " + response.Status.Message); // a hosting failure, not a policy denial
                    }
                }
#pragma warning disable CA1031
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failures.Add(uid + ": " + ex.Message);
                }
            }
        }

        Task[] posters = Enumerable.Range(0, 4).Select(_ => Task.Run(PostLoopAsync)).ToArray();
        for (int i = 0; i < 20; i++)
        {
            await File.WriteAllTextAsync(harness.PolicyPath, i % 2 == 0 ? WebhookHarness.DenyAll : WebhookHarness.AllowAll);
            Assert.Contains(await harness.Server.ReloadNowAsync(), o => o is { What: "policy", Result: ReloadResult.Reloaded });
            await Task.Delay(20);
        }

        await File.WriteAllTextAsync(harness.PolicyPath, WebhookHarness.DenyAll);
        await harness.Server.ReloadNowAsync();
        await stop.CancelAsync();
        await Task.WhenAll(posters);

        Assert.Empty(failures);
        Assert.True(answers.Count >= 20, $"only {answers.Count} answers");
        Assert.Equal(counter, answers.Count); // every request posted was answered
        Assert.Contains(true, answers);
        Assert.Contains(false, answers);
        Assert.False((await harness.PostReviewAsync(client, "after", image.Reference.ToString())).Allowed);
    }

    [Fact]
    public async Task A_request_in_flight_finishes_on_the_snapshot_it_started_with()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? seenPolicy = null;
        await using WebhookHarness harness = await WebhookHarness.StartAsync(review: async (request, snapshot, deadline) =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(deadline);
            seenPolicy = snapshot.PolicyVersion;
            return new SupplyChain.Admission.Evaluation.AdmissionOutcome(new AdmissionResponse { Uid = request.Uid, Allowed = true }, []);
        });
        string before = harness.Server.CurrentSnapshot!.PolicyVersion;
        using HttpClient client = harness.Client();
        Task<AdmissionResponse> inFlight = harness.PostReviewAsync(client, "in-flight", "registry.test/apps/web:1", "?timeout=30s");
        await entered.Task;

        await File.WriteAllTextAsync(harness.PolicyPath, WebhookHarness.DenyAll);
        Assert.Contains(await harness.Server.ReloadNowAsync(), o => o is { What: "policy", Result: ReloadResult.Reloaded });
        Assert.NotEqual(before, harness.Server.CurrentSnapshot!.PolicyVersion);
        release.SetResult();

        Assert.True((await inFlight).Allowed);
        Assert.Equal(before, seenPolicy);
    }
}
