using System.Diagnostics.Metrics;
using SupplyChain.Admission.Caching;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Hosting;
using SupplyChain.Admission.Hosting.Metrics;
using SupplyChain.Admission.Review;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>
/// The webhook's metrics are System.Diagnostics.Metrics instruments on the "SupplyChain.Admission" meter (any listener
/// reads them), exported under the Prometheus names the webhook always had.
/// </summary>
public class MeterTests
{
    private static AdmissionOutcome Outcome(params ImageDecision[] decisions) =>
        new(new AdmissionResponse { Uid = "u", Allowed = true }, [.. decisions.Select(d => new ImageOutcome("r", "spec.containers[0]", null, d, PolicyMode.Enforce, null, null, d == ImageDecision.AllowedOnRegistryError, null))]);

    [Fact]
    public void A_meter_listener_sees_the_instruments_with_their_tags()
    {
        var cache = new VerdictCache(new VerdictCacheOptions());
        using var metrics = new AdmissionMetrics(cache, () => true);
        var seen = new List<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This instance's meter only: other tests' webhooks publish instruments on meters of the same name, in parallel.
            if (instrument.Meter == metrics.Meter)
            {
                Assert.Equal(AdmissionMetrics.MeterName, instrument.Meter.Name);
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (seen)
            {
                seen.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
            }
        });
        listener.Start();

        metrics.RecordReview("CREATE", "Pod", Outcome(ImageDecision.Denied), TimeSpan.FromMilliseconds(3));
        metrics.RecordReload(new ReloadOutcome("policy", ReloadResult.Reloaded));

        Assert.Contains(("supplychain.admission.requests", 1L, "operation=CREATE,kind=Pod"), seen);
        Assert.Contains(("supplychain.admission.verdicts", 1L, "decision=denied"), seen);
        Assert.Contains(("supplychain.admission.reload", 1L, "what=policy,result=success"), seen);
    }

    [Fact]
    public void The_exporter_maps_names_units_and_kinds_as_opentelemetry_does()
    {
        using var meter = new Meter("test.exporter");
        using var exporter = new PrometheusTextExporter(meter);
        Counter<long> requests = meter.CreateCounter<long>("a.requests", "{request}", "Requests.");
        Histogram<double> duration = meter.CreateHistogram("a.duration", "s", "Durations.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] });
        meter.CreateObservableCounter("a.read", () => 42L, "By", "Bytes.");
        meter.CreateObservableGauge("a.heap", () => 7L, "By", "Heap.");
        requests.Add(2, new KeyValuePair<string, object?>("kind", "Pod\"x"));
        duration.Record(0.75);

        string text = exporter.Render();
        Assert.Contains("# TYPE a_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("a_requests_total{kind=\"Pod\\\"x\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE a_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("a_duration_seconds_bucket{le=\"0.5\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("a_duration_seconds_bucket{le=\"1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("a_duration_seconds_bucket{le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("a_duration_seconds_sum 0.75\n", text, StringComparison.Ordinal);
        Assert.Contains("a_read_bytes_total 42\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE a_heap_bytes gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("a_heap_bytes 7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_meter_of_the_same_name_is_not_exported()
    {
        var cache = new VerdictCache(new VerdictCacheOptions());
        using var first = new AdmissionMetrics(cache, () => true);
        using var second = new AdmissionMetrics(cache, () => true);
        second.RecordReview("CREATE", "Pod", Outcome(ImageDecision.Allowed), TimeSpan.Zero);
        Assert.DoesNotContain("supplychain_admission_requests_total{", first.Render(), StringComparison.Ordinal);
        Assert.Contains("supplychain_admission_requests_total{operation=\"CREATE\",kind=\"Pod\"} 1\n", second.Render(), StringComparison.Ordinal);
    }
}
