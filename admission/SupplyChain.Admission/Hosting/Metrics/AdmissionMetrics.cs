using System.Diagnostics.Metrics;
using SupplyChain.Admission.Caching;
using SupplyChain.Admission.Evaluation;

namespace SupplyChain.Admission.Hosting.Metrics;

/// <summary>
/// The webhook's instruments on the <c>SupplyChain.Admission</c> <see cref="Meter"/> (System.Diagnostics.Metrics, so
/// any listener, OpenTelemetry included, can read them), served at <c>/metrics</c> in the Prometheus text format by
/// <see cref="PrometheusTextExporter"/> under the names the webhook has always exported (docs/admission.md, "Metrics").
/// Tag values come from closed sets (operation, kind, decision, cache result, reload source and result), so the series
/// count is bounded whatever the requests say. Thread-safe.
/// </summary>
internal sealed class AdmissionMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SupplyChain.Admission";

    /// <summary>The request duration histogram's upper bounds, 1 ms to 30 s.</summary>
    internal static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly HashSet<string> KnownOperations = ["CREATE", "UPDATE", "DELETE", "CONNECT"];
    private static readonly HashSet<string> KnownKinds =
        ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "PodTemplate"];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly PrometheusTextExporter _exporter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _verdicts;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _registryErrors;
    private readonly Counter<long> _reloads;

    /// <summary>The meter the instruments live on (one per instance: listeners and the exporter tell instances apart by it).</summary>
    internal Meter Meter => _meter;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/> (the host's), or on a meter of its own.</summary>
    public AdmissionMetrics(VerdictCache cache, Func<bool> ready, Func<long>? registryBytesRead = null, IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _exporter = new PrometheusTextExporter(_meter);
        Func<long> bytesRead = registryBytesRead ?? (() => 0);

        _requests = _meter.CreateCounter<long>("supplychain.admission.requests", "{request}", "AdmissionReview requests answered, by operation and object kind.");
        _verdicts = _meter.CreateCounter<long>("supplychain.admission.verdicts", "{image}", "Image decisions, by decision.");
        _duration = _meter.CreateHistogram("supplychain.admission.request.duration", "s", "Time to answer an AdmissionReview.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        _meter.CreateObservableCounter("supplychain.admission.cache", () => new Measurement<long>[]
        {
            new(cache.Hits, new KeyValuePair<string, object?>("result", "hit")),
            new(cache.Misses, new KeyValuePair<string, object?>("result", "miss")),
            new(cache.Coalesced, new KeyValuePair<string, object?>("result", "coalesced")),
        }, "{lookup}", "Verdict cache lookups, by result.");
        _meter.CreateObservableCounter("supplychain.admission.cache.evictions", () => cache.Evictions, "{verdict}", "Verdicts evicted to stay within the cache bound.");
        _meter.CreateObservableUpDownCounter("supplychain.admission.cache.entries", () => (long)cache.Count, "{verdict}", "Verdicts cached now.");
        _registryErrors = _meter.CreateCounter<long>("supplychain.admission.registry.errors", "{image}", "Images whose evaluation failed on the registry.");
        _meter.CreateObservableCounter("supplychain.admission.registry.read", bytesRead, "By", "Bytes read from registries (manifests, blobs, referrers listings), all reviews together.");
        _reloads = _meter.CreateCounter<long>("supplychain.admission.reload", "{reload}", "Reloads of the certificate, policy and trust material, by result.");
        _meter.CreateObservableGauge("supplychain.admission.ready", () => ready() ? 1 : 0, "{ready}", "1 once policy and trust material are loaded, else 0.");
        _meter.CreateObservableGauge("process.resident_memory", () => Environment.WorkingSet, "By", "Resident memory size in bytes.");
        _meter.CreateObservableGauge("dotnet.gc.heap", () => GC.GetTotalMemory(forceFullCollection: false), "By", "Bytes in the managed heap (GC.GetTotalMemory).");

        // Every decision and the error count are exported from the start, at 0.
        foreach (ImageDecision decision in Enum.GetValues<ImageDecision>())
        {
            _verdicts.Add(0, new KeyValuePair<string, object?>("decision", DecisionLabel(decision)));
        }

        _registryErrors.Add(0);
    }

    /// <summary>Counts one answered review and its images.</summary>
    public void RecordReview(string? operation, string? kind, AdmissionOutcome? outcome, TimeSpan duration)
    {
        string op = operation is not null && KnownOperations.Contains(operation) ? operation : "other";
        string k = kind is not null && KnownKinds.Contains(kind) ? kind : "other";
        _requests.Add(1, new KeyValuePair<string, object?>("operation", op), new KeyValuePair<string, object?>("kind", k));
        if (outcome is not null)
        {
            foreach (ImageOutcome image in outcome.Images)
            {
                _verdicts.Add(1, new KeyValuePair<string, object?>("decision", DecisionLabel(image.Decision)));
                if (image.RegistryError)
                {
                    _registryErrors.Add(1);
                }
            }
        }

        _duration.Record(duration.TotalSeconds);
    }

    /// <summary>Counts one reload check that did something.</summary>
    public void RecordReload(ReloadOutcome outcome)
    {
        if (outcome.Result == ReloadResult.Unchanged)
        {
            return;
        }

        string result = outcome.Result == ReloadResult.Reloaded ? "success" : "failure";
        _reloads.Add(1, new KeyValuePair<string, object?>("what", outcome.What), new KeyValuePair<string, object?>("result", result));
    }

    /// <summary>Reads a reload counter (tests).</summary>
    public long ReloadCount(string what, string result) =>
        (long)_exporter.Value("supplychain.admission.reload", new KeyValuePair<string, object?>("what", what), new KeyValuePair<string, object?>("result", result));

    /// <summary>The exposition text.</summary>
    public string Render() => _exporter.Render();

    /// <inheritdoc />
    public void Dispose()
    {
        _exporter.Dispose();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    internal static string DecisionLabel(ImageDecision decision) => decision switch
    {
        ImageDecision.Allowed => "allowed",
        ImageDecision.Denied => "denied",
        ImageDecision.Warned => "warned",
        ImageDecision.Audited => "audited",
        ImageDecision.Unchanged => "unchanged",
        _ => "allowed_on_registry_error",
    };
}
