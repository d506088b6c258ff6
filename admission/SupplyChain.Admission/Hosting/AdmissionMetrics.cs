using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SupplyChain.Admission.Caching;
using SupplyChain.Admission.Evaluation;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's metrics in the Prometheus text exposition format 0.0.4 (written by hand: no package), served at
/// <c>/metrics</c>. Label values come from closed sets (operation, kind, decision, cache result, reload source and
/// result), so the series count is bounded whatever the requests say. Thread-safe.
/// </summary>
internal sealed class AdmissionMetrics
{
    /// <summary>The histogram's upper bounds, 1 ms to 30 s.</summary>
    internal static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly HashSet<string> KnownOperations = ["CREATE", "UPDATE", "DELETE", "CONNECT"];
    private static readonly HashSet<string> KnownKinds =
        ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "PodTemplate"];

    private readonly ConcurrentDictionary<(string Operation, string Kind), StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<(string What, string Result), StrongBox<long>> _reloads = new();
    private readonly long[] _verdicts = new long[Enum.GetValues<ImageDecision>().Length];
    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private readonly Lock _histogramLock = new();
    private readonly VerdictCache _cache;
    private readonly Func<bool> _ready;
    private long _durationCount;
    private double _durationSum;
    private readonly Func<long> _registryBytesRead;
    private long _registryErrors;

    public AdmissionMetrics(VerdictCache cache, Func<bool> ready, Func<long>? registryBytesRead = null)
    {
        _cache = cache;
        _ready = ready;
        _registryBytesRead = registryBytesRead ?? (() => 0);
    }

    /// <summary>Counts one answered review and its images.</summary>
    public void RecordReview(string? operation, string? kind, AdmissionOutcome? outcome, TimeSpan duration)
    {
        string op = operation is not null && KnownOperations.Contains(operation) ? operation : "other";
        string k = kind is not null && KnownKinds.Contains(kind) ? kind : "other";
        Interlocked.Increment(ref _requests.GetOrAdd((op, k), _ => new StrongBox<long>()).Value);
        if (outcome is not null)
        {
            foreach (ImageOutcome image in outcome.Images)
            {
                if ((int)image.Decision is >= 0 and var d && d < _verdicts.Length)
                {
                    Interlocked.Increment(ref _verdicts[d]);
                }

                if (image.RegistryError)
                {
                    Interlocked.Increment(ref _registryErrors);
                }
            }
        }

        double seconds = duration.TotalSeconds;
        lock (_histogramLock)
        {
            _durationCount++;
            _durationSum += seconds;
            for (int i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    _bucketCounts[i]++;
                }
            }
        }
    }

    /// <summary>Counts one reload check that did something.</summary>
    public void RecordReload(ReloadOutcome outcome)
    {
        if (outcome.Result == ReloadResult.Unchanged)
        {
            return;
        }

        string result = outcome.Result == ReloadResult.Reloaded ? "success" : "failure";
        Interlocked.Increment(ref _reloads.GetOrAdd((outcome.What, result), _ => new StrongBox<long>()).Value);
    }

    /// <summary>Reads a counter (tests).</summary>
    public long ReloadCount(string what, string result) => _reloads.TryGetValue((what, result), out StrongBox<long>? box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>The exposition text.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        Header(text, "supplychain_admission_requests_total", "counter", "AdmissionReview requests answered, by operation and object kind.");
        foreach (var pair in _requests.OrderBy(p => p.Key.Operation, StringComparer.Ordinal).ThenBy(p => p.Key.Kind, StringComparer.Ordinal))
        {
            Sample(text, "supplychain_admission_requests_total", $"operation=\"{pair.Key.Operation}\",kind=\"{pair.Key.Kind}\"", Interlocked.Read(ref pair.Value.Value));
        }

        Header(text, "supplychain_admission_verdicts_total", "counter", "Image decisions, by decision.");
        foreach (ImageDecision decision in Enum.GetValues<ImageDecision>())
        {
            Sample(text, "supplychain_admission_verdicts_total", $"decision=\"{DecisionLabel(decision)}\"", Interlocked.Read(ref _verdicts[(int)decision]));
        }

        Header(text, "supplychain_admission_request_duration_seconds", "histogram", "Time to answer an AdmissionReview.");
        lock (_histogramLock)
        {
            for (int i = 0; i < Buckets.Length; i++)
            {
                Sample(text, "supplychain_admission_request_duration_seconds_bucket", $"le=\"{Format(Buckets[i])}\"", _bucketCounts[i]);
            }

            Sample(text, "supplychain_admission_request_duration_seconds_bucket", "le=\"+Inf\"", _durationCount);
            Sample(text, "supplychain_admission_request_duration_seconds_sum", null, _durationSum);
            Sample(text, "supplychain_admission_request_duration_seconds_count", null, _durationCount);
        }

        Header(text, "supplychain_admission_cache_total", "counter", "Verdict cache lookups, by result.");
        Sample(text, "supplychain_admission_cache_total", "result=\"hit\"", _cache.Hits);
        Sample(text, "supplychain_admission_cache_total", "result=\"miss\"", _cache.Misses);
        Sample(text, "supplychain_admission_cache_total", "result=\"coalesced\"", _cache.Coalesced);
        Header(text, "supplychain_admission_cache_evictions_total", "counter", "Verdicts evicted to stay within the cache bound.");
        Sample(text, "supplychain_admission_cache_evictions_total", null, _cache.Evictions);
        Header(text, "supplychain_admission_cache_entries", "gauge", "Verdicts cached now.");
        Sample(text, "supplychain_admission_cache_entries", null, _cache.Count);
        Header(text, "supplychain_admission_registry_errors_total", "counter", "Images whose evaluation failed on the registry.");
        Sample(text, "supplychain_admission_registry_errors_total", null, Interlocked.Read(ref _registryErrors));

        Header(text, "supplychain_admission_registry_read_bytes_total", "counter", "Bytes read from registries (manifests, blobs, referrers listings), all reviews together.");
        Sample(text, "supplychain_admission_registry_read_bytes_total", null, _registryBytesRead());
        Header(text, "supplychain_admission_reload_total", "counter", "Reloads of the certificate, policy and trust material, by result.");
        foreach (var pair in _reloads.OrderBy(p => p.Key.What, StringComparer.Ordinal).ThenBy(p => p.Key.Result, StringComparer.Ordinal))
        {
            Sample(text, "supplychain_admission_reload_total", $"what=\"{pair.Key.What}\",result=\"{pair.Key.Result}\"", Interlocked.Read(ref pair.Value.Value));
        }

        Header(text, "supplychain_admission_ready", "gauge", "1 once policy and trust material are loaded, else 0.");
        Sample(text, "supplychain_admission_ready", null, _ready() ? 1 : 0);
        Header(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        Sample(text, "process_resident_memory_bytes", null, Environment.WorkingSet);
        Header(text, "dotnet_gc_heap_bytes", "gauge", "Bytes in the managed heap (GC.GetTotalMemory).");
        Sample(text, "dotnet_gc_heap_bytes", null, GC.GetTotalMemory(forceFullCollection: false));
        return text.ToString();
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

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string? labels, double value)
    {
        text.Append(name);
        if (labels is not null)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
