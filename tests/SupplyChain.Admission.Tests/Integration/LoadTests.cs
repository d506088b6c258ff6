using System.Globalization;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// Load (issue 7, "Tests"): Debian's <c>hey</c> posts a Pod review for a signed, cached image to the webhook over TLS
/// with 32 workers for <c>SUPPLYCHAIN_LOAD_SECONDS</c> (default 60) while the test samples the webhook's
/// process memory (it runs in this process). Asserts no error and no non-2xx answer, that sampled answers are allowed,
/// and that memory is stable: the working set at the end within a generous bound of the one after warm-up, and the
/// GC heap after a full collection not grown beyond a bound. No latency or throughput is asserted (benchmarks only).
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class LoadTests(WebhookFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    [LoadToolFact]
    public async Task Posting_reviews_for_minutes_gives_no_errors_and_stable_memory()
    {
        Assert.True(HeyRun.IsAvailable, $"{HeyRun.Binary} is missing: install Debian's hey (.ci/run does)");
        await fixture.StartAsync();
        TimeSpan duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SUPPLYCHAIN_LOAD_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0 ? seconds : 60);
        ImageReference signed = ImageReference.Parse(fixture.SignedImage);
        string body = Reviews.Pod("load-uid", $"{signed.Registry}/{signed.Repository}@{signed.Digest}");
        string bodyFile = Path.Combine(fixture.Folder, "load-body.json");
        await File.WriteAllTextAsync(bodyFile, body);

        // Warm the verdict cache and the JIT, then take the baselines after a full collection.
        for (int i = 0; i < 20; i++)
        {
            Assert.True((await fixture.PostAsync(body)).Allowed);
        }

        Dictionary<string, double> metricsBefore = await MetricsAsync();
        long heapBefore = FullCollection();
        var samples = new List<(double At, long WorkingSet, long Heap)>();
        using var stop = new CancellationTokenSource();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                lock (samples)
                {
                    samples.Add((clock.Elapsed.TotalSeconds, Environment.WorkingSet, GC.GetGCMemoryInfo().HeapSizeBytes));
                }

                try
                {
                    await Task.Delay(250, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        HeyRun run;
        try
        {
            run = await HeyRun.PostAsync(new Uri(fixture.Server.BaseAddress, "/validate?timeout=10s"), bodyFile, 32, duration, CancellationToken.None);
        }
        finally
        {
            await stop.CancelAsync();
            await sampler;
        }

        long heapAfter = FullCollection();
        Assert.True(run.Responses > 0, run.Output);
        Assert.Equal(0, run.Errors);
        Assert.Equal(0, run.Non2xx);
        for (int i = 0; i < 5; i++)
        {
            WebhookReply reply = await fixture.PostAsync(body);
            Assert.True(reply.Allowed, reply.Body);
        }

        // Every answer of the run was an allow (the webhook's own counters; this collection runs one test at a time).
        Dictionary<string, double> metricsAfter = await MetricsAsync();
        double Delta(string sample) => metricsAfter.GetValueOrDefault(sample) - metricsBefore.GetValueOrDefault(sample);
        Assert.True(Delta("supplychain_admission_verdicts_total{decision=\"allowed\"}") >= run.Responses, "fewer allowed verdicts than answers");
        foreach (string decision in new[] { "denied", "warned", "audited", "allowed_on_registry_error" })
        {
            Assert.Equal(0, Delta($"supplychain_admission_verdicts_total{{decision=\"{decision}\"}}"));
        }

        Assert.Equal(0, Delta("supplychain_admission_registry_errors_total"));

        // Working set: the median of the last tenth of the run within 1.5x + 64 MiB of the median of 20-30 % (after warm-up).
        double total = clock.Elapsed.TotalSeconds;
        long Median(double from, double to)
        {
            var window = samples.Where(s => s.At >= from * total && s.At <= to * total).Select(s => s.WorkingSet).Order().ToList();
            Assert.NotEmpty(window);
            return window[window.Count / 2];
        }

        long warm = Median(0.2, 0.3);
        long end = Median(0.9, 1.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.Responses} answers in {duration.TotalSeconds} s ({run.RequestsPerSecond:F0}/s, 32 workers); working set {warm / MiB} MiB after warm-up, {end / MiB} MiB at the end; GC heap after a full collection {heapBefore / 1024} KiB before, {heapAfter / 1024} KiB after"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hey: p50 {run.LatencyMs.GetValueOrDefault(50):F2} ms, p99 {run.LatencyMs.GetValueOrDefault(99):F2} ms (Debug build, unthrottled; not asserted)"));
        Assert.True(end <= (warm * 3 / 2) + (64 * MiB), $"working set grew from {warm / MiB} MiB after warm-up to {end / MiB} MiB at the end");

        // GC heap: the largest after-collection size in the last third of the run within 1.5x + 32 MiB of the largest in
        // the second third (no steady growth), and after a full collection within 1.5x + 32 MiB of the one before the
        // run (one cached verdict; pools may grow a little).
        long HeapMax(double from, double to) => samples.Where(s => s.At >= from * total && s.At <= to * total).Select(s => s.Heap).DefaultIfEmpty().Max();
        long middle = HeapMax(1.0 / 3, 2.0 / 3);
        long last = HeapMax(2.0 / 3, 1.0);
        Assert.True(last <= (middle * 3 / 2) + (32 * MiB), $"GC heap kept growing: {middle / MiB} MiB in the second third, {last / MiB} MiB in the last");
        Assert.True(heapAfter <= (heapBefore * 3 / 2) + (32 * MiB), $"GC heap after full collection grew from {heapBefore / MiB} MiB to {heapAfter / MiB} MiB");
    }

    /// <summary>The webhook's <c>/metrics</c> (Prometheus text format) as sample -> value.</summary>
    private async Task<Dictionary<string, double>> MetricsAsync()
    {
        using HttpClient http = fixture.Tls.CreateClient(TimeSpan.FromSeconds(30));
        string text = await http.GetStringAsync(new Uri(fixture.Server.BaseAddress, "/metrics"));
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                samples[line[..space]] = value;
            }
        }

        Assert.Contains("supplychain_admission_verdicts_total{decision=\"allowed\"}", samples.Keys);
        return samples;
    }

    private static long FullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
    }
}
