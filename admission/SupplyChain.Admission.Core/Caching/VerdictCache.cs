using SupplyChain.Admission.Evaluation;
using SupplyChain.Core.Errors;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Caching;

/// <summary>
/// The webhook's verdict cache (issue 7, "Cache"): verdicts per <see cref="VerdictKey"/> (digest, platform, namespace
/// when scoped, policy version, trust-root version) kept for a time that depends on the verdict (allowed longest,
/// denials shorter, registry failures shortest or not at all), at most <see cref="VerdictCacheOptions.MaxEntries"/>
/// of them (least recently used evicted first; expired ones purged). Concurrent identical evaluations are coalesced
/// into one shared task that runs under its own budget: a caller whose deadline fires stops waiting, the evaluation
/// goes on for the others and for the cache. A faulted evaluation is never cached. Thread-safe.
/// </summary>
public sealed class VerdictCache : IVerdictCache
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(30);

    private readonly VerdictCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<VerdictKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly Dictionary<VerdictKey, Task<PolicyVerdict>> _inFlight = [];
    private DateTimeOffset _lastPurge;
    private long _hits;
    private long _misses;
    private long _coalesced;
    private long _evictions;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="options">The options, or <c>null</c> for the defaults.</param>
    /// <exception cref="SupplyChainException">SC7208 for invalid options.</exception>
    public VerdictCache(VerdictCacheOptions? options = null)
    {
        _options = options ?? new VerdictCacheOptions();
        _options.Validate();
        _time = _options.TimeProvider;
        _lastPurge = _time.GetUtcNow();
    }

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that started a new evaluation.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Lookups that joined an evaluation already running.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>Entries evicted to stay within <see cref="VerdictCacheOptions.MaxEntries"/>.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Verdicts held now (expired ones included until purged).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<CachedVerdict> GetOrEvaluateAsync(VerdictKey key, Func<CancellationToken, Task<PolicyVerdict>> evaluate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _time.GetUtcNow();
        Task<PolicyVerdict> shared;
        TaskCompletionSource<PolicyVerdict>? started = null;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                if (node.Value.Expires > now)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    Interlocked.Increment(ref _hits);
                    return Task.FromResult(new CachedVerdict(node.Value.Verdict, VerdictSource.Cached));
                }

                Remove(node);
            }

            if (_inFlight.TryGetValue(key, out Task<PolicyVerdict>? running))
            {
                Interlocked.Increment(ref _coalesced);
                shared = running;
            }
            else
            {
                Interlocked.Increment(ref _misses);
                started = new TaskCompletionSource<PolicyVerdict>(TaskCreationOptions.RunContinuationsAsynchronously);
                shared = started.Task;
                _inFlight[key] = shared;
            }
        }

        if (started is not null)
        {
            // The evaluation runs on its own (thread pool, own budget) so no caller's deadline or synchronous work holds it.
            _ = Task.Run(() => RunAsync(key, evaluate, started), CancellationToken.None);
        }

        return WaitAsync(shared, started is null ? VerdictSource.Coalesced : VerdictSource.Evaluated, cancellationToken);
    }

    /// <summary>Removes every expired entry.</summary>
    /// <returns>How many were removed.</returns>
    public int PurgeExpired()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            return PurgeLocked(now);
        }
    }

    private static async Task<CachedVerdict> WaitAsync(Task<PolicyVerdict> shared, VerdictSource source, CancellationToken cancellationToken)
    {
        PolicyVerdict verdict = await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new CachedVerdict(verdict, source);
    }

    private async Task RunAsync(VerdictKey key, Func<CancellationToken, Task<PolicyVerdict>> evaluate, TaskCompletionSource<PolicyVerdict> completion)
    {
        using var budget = new CancellationTokenSource(_options.EvaluationBudget, _time);
        try
        {
            PolicyVerdict verdict = await evaluate(budget.Token).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(verdict);
            Store(key, verdict);
            completion.TrySetResult(verdict);
        }
#pragma warning disable CA1031 // Every failure goes to the waiting callers; none is cached.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                _inFlight.Remove(key);
            }

            completion.TrySetException(ex);
        }
    }

    private void Store(VerdictKey key, PolicyVerdict verdict)
    {
        TimeSpan ttl = TimeToLive(verdict);
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            _inFlight.Remove(key);
            if (ttl <= TimeSpan.Zero)
            {
                return;
            }

            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? old))
            {
                Remove(old);
            }

            _entries[key] = _recency.AddFirst(new Entry(key, verdict, now + ttl));
            if (now - _lastPurge >= PurgeInterval)
            {
                PurgeLocked(now);
            }

            while (_entries.Count > _options.MaxEntries && _recency.Last is { } oldest)
            {
                Remove(oldest);
                Interlocked.Increment(ref _evictions);
            }
        }
    }

    /// <summary>
    /// Allowed longest; a failure of a service (the registry) shortest; any other denial in between. A read budget that
    /// ran out (SC4020) is never cached: it is the budget of the review that ran the evaluation, shared with the other
    /// images of that review, so another pod naming the same image must get its own evaluation.
    /// </summary>
    private TimeSpan TimeToLive(PolicyVerdict verdict) =>
        verdict.Error == Oci.OciErrors.ReadBudgetExhausted ? TimeSpan.Zero
        : verdict.Allowed ? _options.AllowedTtl
        : verdict.Error?.Category == ErrorCategory.ServiceFailure ? _options.FailureTtl
        : _options.DeniedTtl;

    private int PurgeLocked(DateTimeOffset now)
    {
        _lastPurge = now;
        int removed = 0;
        LinkedListNode<Entry>? node = _recency.First;
        while (node is not null)
        {
            LinkedListNode<Entry>? next = node.Next;
            if (node.Value.Expires <= now)
            {
                Remove(node);
                removed++;
            }

            node = next;
        }

        return removed;
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
    }

    private sealed record Entry(VerdictKey Key, PolicyVerdict Verdict, DateTimeOffset Expires);
}
