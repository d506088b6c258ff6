using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>admission-memory WEBHOOK_DIR REPO_ROOT [reviews] [concurrency]</c> (benchmarks/admission-memory/run.sh): issue 13
/// item 5 measured. Starts Debian's docker-registry on 127.0.0.1 and pushes three groups of 16-image pods: honest
/// (key-signed images), hostile signatures (unsigned images, each carrying four garbage bundle referrers just under the
/// 1 MiB signature limit, one declared over it, and a legacy <c>.sig</c> tag of 32 garbage layers just under 1 MiB) and
/// hostile attestations (signed, under a rule that requires an attestation, each carrying two garbage
/// attestation referrers just under the 32 MiB attestation limit). Starts the published Release webhook as the
/// air-gapped deploy overlay starts it (its container args, paths replaced) under <c>DOTNET_GCHeapHardLimit=0x10000000</c>
/// (256 MiB), then posts REVIEWS Pod reviews per group, CONCURRENCY at a time, over TLS with <c>?timeout=10s</c>, every
/// pod naming 16 images never reviewed before. Per group: answers and their codes, latency percentiles, peak RSS
/// (<c>/proc/PID/status</c> VmRSS sampled every 20 ms, and VmHWM), peak managed heap (<c>/metrics</c>
/// <c>dotnet_gc_heap_bytes</c>, sampled), bytes read (<c>supplychain_admission_registry_read_bytes_total</c>); whether
/// the process is still alive. Ratios hostile/honest.
/// </summary>
internal static partial class AdmissionMemory
{
    private const int ImagesPerPod = 16;
    private const string SbomType = "https://example.test/sbom/v1";

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: admission-memory WEBHOOK_DIR REPO_ROOT [reviews per group, default 8] [concurrency, default 4]");
            return 2;
        }

        int reviews = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
        int concurrency = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 4;
        return RunAsync(args[1], args[2], reviews, concurrency).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string webhookDir, string repoRoot, int reviews, int concurrency)
    {
        string dir = Directory.CreateTempSubdirectory("sc-admission-memory-").FullName;
        using DistributionRegistry registry = DistributionRegistry.Start();
        using var sigstore = VirtualSigstore.Create();
        using var signer = new ImageKeySigner(sigstore);
        using var client = new OciRegistryClient(new OciRegistryClientOptions { ReferrersIndexSettleDelay = TimeSpan.Zero });
        int pods = reviews;
        var watch = Stopwatch.StartNew();
        List<string> honest = await PushGroupAsync(client, signer, registry.Host + "/bench/honest", pods * ImagesPerPod, Hostility.None);
        List<string> hostileSignatures = await PushGroupAsync(client, signer, registry.Host + "/bench/hostile-sig", pods * ImagesPerPod, Hostility.Signatures);
        List<string> hostileAttestations = await PushGroupAsync(client, signer, registry.Host + "/bench/hostile-att", pods * ImagesPerPod, Hostility.Attestations);
        Console.WriteLine($"pushed {honest.Count + hostileSignatures.Count + hostileAttestations.Count} images in {watch.Elapsed.TotalSeconds:F0} s");

        await File.WriteAllTextAsync(Path.Combine(dir, "ci.pub"), signer.PublicKeyPem);
        await File.WriteAllBytesAsync(Path.Combine(dir, "trusted_root.json"), sigstore.TrustedRootBytes);
        await File.WriteAllTextAsync(Path.Combine(dir, "policy.yaml"), $$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: attested
                images: ["{{registry.Host}}/bench/hostile-att"]
                authorities:
                  - name: ci
                    key: { path: ci.pub }
                attestations:
                  - predicateType: {{SbomType}}
                    authorities: [ci]
              - name: apps
                images: ["{{registry.Host}}/bench/**"]
                authorities:
                  - name: ci
                    key: { path: ci.pub }
            """);
        LoopbackTls tls = LoopbackTls.Write(dir);
        int port = FreePort();
        List<string> webhookArgs = DeployArgs(repoRoot, new Dictionary<string, string>
        {
            ["listen"] = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            ["tls-cert"] = tls.CertificatePath,
            ["tls-key"] = tls.KeyPath,
            ["policy"] = Path.Combine(dir, "policy.yaml"),
            ["trusted-root"] = Path.Combine(dir, "trusted_root.json"),
        });
        Console.WriteLine("webhook args: " + string.Join(' ', webhookArgs.Select(a => a.Contains(dir, StringComparison.Ordinal) ? a.Replace(dir, "$DIR", StringComparison.Ordinal) : a)));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(webhookDir, "SupplyChain.Admission.dll"));
        foreach (string arg in webhookArgs)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_GCHeapHardLimit"] = "0x10000000";
        using Process webhook = Process.Start(start) ?? throw new InvalidOperationException("the webhook did not start");
        var output = new StringBuilder();
        webhook.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        webhook.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        webhook.BeginOutputReadLine();
        webhook.BeginErrorReadLine();
        bool passed = false;
        try
        {
            using HttpClient http = tls.CreateClient(TimeSpan.FromSeconds(30));
            var baseUri = new Uri($"https://127.0.0.1:{port}/");
            await WaitReadyAsync(http, baseUri, webhook);
            Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}; GC heap hard limit 256 MiB; {reviews} reviews of {ImagesPerPod} images per group, {concurrency} at a time");
            Console.WriteLine($"{"group",-22} {"answered",9} {"in time",8} {"p50 ms",8} {"p90 ms",8} {"max ms",8} {"peak RSS MiB",13} {"peak heap MiB",14} {"read MiB",9}  answers");
            GroupResult h = await RunGroupAsync("honest", honest, http, baseUri, webhook, concurrency);
            GroupResult s = await RunGroupAsync("hostile signatures", hostileSignatures, http, baseUri, webhook, concurrency);
            GroupResult a = await RunGroupAsync("hostile attestations", hostileAttestations, http, baseUri, webhook, concurrency);
            Console.WriteLine($"VmHWM (peak RSS of the whole run): {Status(webhook.Id, "VmHWM") / 1024.0:F0} MiB; webhook alive: {!webhook.HasExited}");
            foreach (GroupResult hostile in new[] { s, a })
            {
                Console.WriteLine($"{hostile.Name} / honest: p50 x{hostile.P50 / h.P50:F2}, max x{hostile.Max / h.Max:F2}, peak RSS x{hostile.PeakRss / h.PeakRss:F2}, peak heap x{hostile.PeakHeap / h.PeakHeap:F2}");
            }

            bool ok = !webhook.HasExited && new[] { h, s, a }.All(g => g.Answered == g.Posted && g.InTime == g.Posted) && h.Allowed == h.Posted && s.Allowed == 0 && a.Allowed == 0;
            Console.WriteLine(ok ? "OK: every review answered in time, honest pods allowed, hostile pods denied, no crash" : "FAILED: see above");
            passed = ok;
            return ok ? 0 : 1;
        }
        finally
        {
            if (!webhook.HasExited)
            {
                webhook.Kill(entireProcessTree: true);
                await webhook.WaitForExitAsync();
            }

            lock (output)
            {
                string text = output.ToString();
                if (!passed || text.Contains("OutOfMemory", StringComparison.Ordinal) || text.Contains("Unhandled exception", StringComparison.Ordinal))
                {
                    Console.WriteLine("webhook output (last 4000 characters):\n" + text[Math.Max(0, text.Length - 4000)..]);
                }
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private enum Hostility
    {
        None,
        Signatures,
        Attestations,
    }

    private sealed record GroupResult(string Name, int Posted, int Answered, int InTime, int Allowed, double P50, double Max, double PeakRss, double PeakHeap);

    /// <summary>The container args of the air-gapped deploy overlay, with <paramref name="replace"/>'s flags given local values.</summary>
    private static List<string> DeployArgs(string repoRoot, Dictionary<string, string> replace)
    {
        string yaml = File.ReadAllText(Path.Combine(repoRoot, "admission", "deploy", "overlays", "air-gapped", "deployment-trusted-root.yaml"));
        var args = new List<string>();
        foreach (Match m in ArgLine().Matches(yaml))
        {
            string flag = m.Groups[1].Value;
            args.Add(replace.TryGetValue(flag, out string? value) ? $"--{flag}={value}" : $"--{flag}={m.Groups[2].Value}");
        }

        return args;
    }

    private static async Task<List<string>> PushGroupAsync(OciRegistryClient client, ImageKeySigner signer, string repository, int count, Hostility hostility)
    {
        ImageReference repo = ImageReference.Parse(repository);
        var images = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            PushedImage image = await TestImages.PushImageAsync(client, repo, "i" + i.ToString(CultureInfo.InvariantCulture), layerBytes: 256);
            if (hostility == Hostility.Signatures)
            {
                await HostileAttachments.PushGarbageReferrersAsync(client, repo, image.Descriptor, 4, HostileAttachments.UnderSignatureLimit);
                await HostileAttachments.PushGarbageReferrersAsync(client, repo, image.Descriptor, 1, (1024 * 1024) + 1, seed: 1);
                await HostileAttachments.PushFatLegacySignaturesAsync(client, repo, image.Descriptor.Digest, 32, HostileAttachments.UnderSignatureLimit);
            }
            else if (hostility == Hostility.Attestations)
            {
                await HostileAttachments.PushGarbageReferrersAsync(client, repo, image.Descriptor, 2, HostileAttachments.UnderAttestationLimit, SbomType, seed: 2);
            }

            // The hostile-signature images carry nothing valid (a signed one may still be admitted when its own small
            // signature fits in what the budget has left; tests/SupplyChain.Policy.Tests ReadBudgetTests shows both).
            string reference = repo.WithDigest(image.Descriptor.Digest).ToString();
            if (hostility != Hostility.Signatures)
            {
                await signer.SignAsync(client, reference);
            }
            images.Add(reference);
        }

        return images;
    }

    private static async Task<GroupResult> RunGroupAsync(string name, List<string> images, HttpClient http, Uri baseUri, Process webhook, int concurrency)
    {
        var pods = images.Chunk(ImagesPerPod).ToList();
        var latencies = new List<double>();
        var answers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int answered = 0, inTime = 0, allowed = 0;
        double peakRss = 0, peakHeap = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, Status(webhook.Id, "VmRSS") / 1024.0);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        Task heapSampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, await MetricAsync(http, baseUri, "dotnet_gc_heap_bytes") / (1024.0 * 1024));
                await Task.Delay(100, CancellationToken.None);
            }
        });
        double readBefore = await MetricAsync(http, baseUri, "supplychain_admission_registry_read_bytes_total");
        using var gate = new SemaphoreSlim(concurrency);
        var lockObject = new Lock();
        await Task.WhenAll(pods.Select(async (pod, n) =>
        {
            await gate.WaitAsync();
            try
            {
                var clock = Stopwatch.StartNew();
                (bool ok, bool podAllowed, string code) = await ReviewAsync(http, baseUri, pod, n);
                double ms = clock.Elapsed.TotalMilliseconds;
                lock (lockObject)
                {
                    latencies.Add(ms);
                    answered += ok ? 1 : 0;
                    inTime += ok && ms < 10_000 ? 1 : 0;
                    allowed += podAllowed ? 1 : 0;
                    answers[code] = answers.GetValueOrDefault(code) + 1;
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        await sampling.CancelAsync();
        await Task.WhenAll(sampler, heapSampler);
        double read = (await MetricAsync(http, baseUri, "supplychain_admission_registry_read_bytes_total") - readBefore) / (1024.0 * 1024);
        latencies.Sort();
        double p50 = Percentile(latencies, 0.5), p90 = Percentile(latencies, 0.9), max = latencies[^1];
        Console.WriteLine($"{name,-22} {answered,5}/{pods.Count,-3} {inTime,8} {p50,8:F0} {p90,8:F0} {max,8:F0} {peakRss,13:F0} {peakHeap,14:F0} {read,9:F0}  {string.Join(", ", answers.Select(a => a.Key + " x" + a.Value))}");
        return new GroupResult(name, pods.Count, answered, inTime, allowed, p50, max, peakRss, peakHeap);
    }

    private static async Task<(bool Ok, bool Allowed, string Code)> ReviewAsync(HttpClient http, Uri baseUri, string[] images, int n)
    {
        string containers = string.Join(",", images.Select((image, i) => $"{{\"name\":\"c{i}\",\"image\":\"{image}\"}}"));
        string review = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"bench-N","kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},"namespace":"default","operation":"CREATE","userInfo":{"username":"bench"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pN","namespace":"default"},"spec":{"containers":[CONTAINERS]}}}}"""
            .Replace("bench-N", "bench-" + n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("\"pN\"", "\"p" + n.ToString(CultureInfo.InvariantCulture) + "\"", StringComparison.Ordinal)
            .Replace("CONTAINERS", containers, StringComparison.Ordinal);
        try
        {
            using var content = new StringContent(review, Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await http.PostAsync(new Uri(baseUri, "/validate?timeout=10s"), content);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (false, false, "HTTP " + (int)response.StatusCode);
            }

            JsonNode answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
            bool allowed = (bool)answer["allowed"]!;
            string? message = (string?)answer["status"]?["message"];
            return (true, allowed, allowed ? "allowed" : message is { Length: >= 6 } ? message[..6] : "denied");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (false, false, ex.GetType().Name);
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Uri baseUri, Process webhook)
    {
        for (int i = 0; i < 300; i++)
        {
            if (webhook.HasExited)
            {
                throw new InvalidOperationException("the webhook exited with " + webhook.ExitCode.ToString(CultureInfo.InvariantCulture));
            }

            try
            {
                using HttpResponseMessage ready = await http.GetAsync(new Uri(baseUri, "/readyz"));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("the webhook did not become ready");
    }

    private static async Task<double> MetricAsync(HttpClient http, Uri baseUri, string name)
    {
        try
        {
            string text = await http.GetStringAsync(new Uri(baseUri, "/metrics"));
            Match m = Regex.Match(text, "^" + Regex.Escape(name) + " ([0-9.eE+]+)$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
            return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>A field of /proc/PID/status in KiB (VmRSS, VmHWM), 0 once the process is gone.</summary>
    private static double Status(int pid, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return double.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*- --([a-z-]+)=(\S+)", RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ArgLine();
}
