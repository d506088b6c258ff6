using SupplyChain.Admission.Caching;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Core.Errors;
using SupplyChain.Policy.Evaluation;
using Microsoft.Extensions.Time.Testing;

namespace SupplyChain.Admission.Tests.Caching;

/// <summary>VerdictCache: TTLs by verdict (manual clock), coalescing, callers' deadlines, bounds, faults.</summary>
public class VerdictCacheTests
{
    private static VerdictKey Key(int i = 0) => new($"registry.test/apps/web@sha256:{i:x64}", "linux/amd64", null, "policy-1", "sha256:trust");

    private static (VerdictCache Cache, FakeTimeProvider Clock) NewCache(int maxEntries = 100, TimeSpan? failureTtl = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        return (new VerdictCache(new VerdictCacheOptions
        {
            MaxEntries = maxEntries,
            AllowedTtl = TimeSpan.FromMinutes(5),
            DeniedTtl = TimeSpan.FromSeconds(30),
            FailureTtl = failureTtl ?? TimeSpan.FromSeconds(5),
            TimeProvider = clock,
        }), clock);
    }

    private sealed class CountingEvaluation(PolicyVerdict verdict)
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<PolicyVerdict> EvaluateAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(verdict);
        }
    }

    [Fact]
    public async Task An_allowed_verdict_is_reused_for_its_ttl_then_evaluated_again()
    {
        (VerdictCache cache, FakeTimeProvider clock) = NewCache();
        var evaluation = new CountingEvaluation(await Verdicts.AllowedAsync());
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key(), evaluation.EvaluateAsync, default)).Source);
        clock.Advance(TimeSpan.FromMinutes(4.9));
        CachedVerdict cached = await cache.GetOrEvaluateAsync(Key(), evaluation.EvaluateAsync, default);
        Assert.Equal(VerdictSource.Cached, cached.Source);
        Assert.True(cached.Verdict.Allowed);
        Assert.Equal(1, evaluation.Calls);
        clock.Advance(TimeSpan.FromMinutes(0.2));
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key(), evaluation.EvaluateAsync, default)).Source);
        Assert.Equal(2, evaluation.Calls);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public async Task A_registry_failure_expires_before_a_denial_and_a_denial_before_an_allow()
    {
        (VerdictCache cache, FakeTimeProvider clock) = NewCache();
        var allowed = new CountingEvaluation(await Verdicts.AllowedAsync());
        var denied = new CountingEvaluation(await Verdicts.DeniedAsync());
        var failed = new CountingEvaluation(await Verdicts.RegistryFailureAsync());
        await cache.GetOrEvaluateAsync(Key(1), allowed.EvaluateAsync, default);
        await cache.GetOrEvaluateAsync(Key(2), denied.EvaluateAsync, default);
        await cache.GetOrEvaluateAsync(Key(3), failed.EvaluateAsync, default);

        clock.Advance(TimeSpan.FromSeconds(6)); // past the failure TTL (5 s) only
        Assert.Equal(VerdictSource.Cached, (await cache.GetOrEvaluateAsync(Key(1), allowed.EvaluateAsync, default)).Source);
        Assert.Equal(VerdictSource.Cached, (await cache.GetOrEvaluateAsync(Key(2), denied.EvaluateAsync, default)).Source);
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key(3), failed.EvaluateAsync, default)).Source);

        clock.Advance(TimeSpan.FromSeconds(30)); // past the denial TTL (30 s), within the allow TTL
        Assert.Equal(VerdictSource.Cached, (await cache.GetOrEvaluateAsync(Key(1), allowed.EvaluateAsync, default)).Source);
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key(2), denied.EvaluateAsync, default)).Source);
        Assert.Equal((1, 2, 2), (allowed.Calls, denied.Calls, failed.Calls));
    }

    [Fact]
    public async Task A_zero_failure_ttl_never_caches_a_registry_failure()
    {
        (VerdictCache cache, _) = NewCache(failureTtl: TimeSpan.Zero);
        var failed = new CountingEvaluation(await Verdicts.RegistryFailureAsync());
        for (int i = 0; i < 3; i++)
        {
            CachedVerdict verdict = await cache.GetOrEvaluateAsync(Key(), failed.EvaluateAsync, default);
            Assert.Equal(VerdictSource.Evaluated, verdict.Source);
            Assert.Equal(ErrorCategory.ServiceFailure, verdict.Verdict.Error!.Category);
        }

        Assert.Equal(3, failed.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Concurrent_identical_lookups_share_one_evaluation()
    {
        (VerdictCache cache, _) = NewCache();
        PolicyVerdict verdict = await Verdicts.AllowedAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        async Task<PolicyVerdict> EvaluateAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await release.Task;
            return verdict;
        }

        Task<CachedVerdict>[] callers = Enumerable.Range(0, 16).Select(_ => cache.GetOrEvaluateAsync(Key(), EvaluateAsync, default)).ToArray();
        release.SetResult();
        CachedVerdict[] results = await Task.WhenAll(callers);
        Assert.Equal(1, calls);
        Assert.Single(results, r => r.Source == VerdictSource.Evaluated);
        Assert.Equal(15, results.Count(r => r.Source == VerdictSource.Coalesced));
        Assert.All(results, r => Assert.Same(verdict, r.Verdict));
        Assert.Equal(15, cache.Coalesced);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(VerdictSource.Cached, (await cache.GetOrEvaluateAsync(Key(), EvaluateAsync, default)).Source);
    }

    [Fact]
    public async Task A_caller_whose_deadline_fires_stops_waiting_without_cancelling_the_shared_evaluation()
    {
        (VerdictCache cache, _) = NewCache();
        PolicyVerdict verdict = await Verdicts.AllowedAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<PolicyVerdict> EvaluateAsync(CancellationToken budget)
        {
            started.SetResult(budget);
            await release.Task;
            budget.ThrowIfCancellationRequested();
            return verdict;
        }

        using var impatient = new CancellationTokenSource();
        Task<CachedVerdict> first = cache.GetOrEvaluateAsync(Key(), EvaluateAsync, impatient.Token);
        Task<CachedVerdict> second = cache.GetOrEvaluateAsync(Key(), EvaluateAsync, default);
        CancellationToken budget = await started.Task;
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(budget.IsCancellationRequested);
        Assert.False(second.IsCompleted);

        release.SetResult();
        Assert.Same(verdict, (await second).Verdict);
        Assert.Equal(VerdictSource.Coalesced, (await second).Source);
        Assert.Equal(VerdictSource.Cached, (await cache.GetOrEvaluateAsync(Key(), EvaluateAsync, default)).Source);
    }

    [Fact]
    public async Task An_already_cancelled_caller_starts_nothing()
    {
        (VerdictCache cache, _) = NewCache();
        var evaluation = new CountingEvaluation(await Verdicts.AllowedAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetOrEvaluateAsync(Key(), evaluation.EvaluateAsync, new CancellationToken(true)));
        Assert.Equal(0, evaluation.Calls);
    }

    [Fact]
    public async Task The_least_recently_used_entry_is_evicted_beyond_the_bound()
    {
        (VerdictCache cache, _) = NewCache(maxEntries: 3);
        var evaluation = new CountingEvaluation(await Verdicts.AllowedAsync());
        for (int i = 1; i <= 3; i++)
        {
            await cache.GetOrEvaluateAsync(Key(i), evaluation.EvaluateAsync, default);
        }

        await cache.GetOrEvaluateAsync(Key(1), evaluation.EvaluateAsync, default); // 1 is now the most recently used
        await cache.GetOrEvaluateAsync(Key(4), evaluation.EvaluateAsync, default); // evicts 2
        await cache.GetOrEvaluateAsync(Key(5), evaluation.EvaluateAsync, default); // evicts 3
        Assert.Equal(3, cache.Count);
        Assert.Equal(2, cache.Evictions);
        Assert.Equal(5, evaluation.Calls);
        Assert.Equal(VerdictSource.Cached, (await cache.GetOrEvaluateAsync(Key(1), evaluation.EvaluateAsync, default)).Source);
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key(2), evaluation.EvaluateAsync, default)).Source);

        for (int i = 10; i < 1010; i++)
        {
            await cache.GetOrEvaluateAsync(Key(i), evaluation.EvaluateAsync, default);
        }

        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task A_faulted_evaluation_reaches_every_waiter_and_is_not_cached()
    {
        (VerdictCache cache, _) = NewCache();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        async Task<PolicyVerdict> FailAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await release.Task;
            throw new InvalidOperationException("evaluator bug");
        }

        Task<CachedVerdict> a = cache.GetOrEvaluateAsync(Key(), FailAsync, default);
        Task<CachedVerdict> b = cache.GetOrEvaluateAsync(Key(), FailAsync, default);
        release.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => a);
        await Assert.ThrowsAsync<InvalidOperationException>(() => b);
        Assert.Equal(0, cache.Count);

        var evaluation = new CountingEvaluation(await Verdicts.AllowedAsync());
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key(), evaluation.EvaluateAsync, default)).Source);
        Assert.Equal(1, calls);
        Assert.Equal(1, evaluation.Calls);
    }

    [Fact]
    public async Task A_key_differing_in_policy_or_trust_version_misses()
    {
        (VerdictCache cache, _) = NewCache();
        var evaluation = new CountingEvaluation(await Verdicts.AllowedAsync());
        await cache.GetOrEvaluateAsync(Key(), evaluation.EvaluateAsync, default);
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key() with { PolicyVersion = "policy-2" }, evaluation.EvaluateAsync, default)).Source);
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key() with { TrustRootVersion = "sha256:other" }, evaluation.EvaluateAsync, default)).Source);
        Assert.Equal(VerdictSource.Evaluated, (await cache.GetOrEvaluateAsync(Key() with { Namespace = "shop" }, evaluation.EvaluateAsync, default)).Source);
        Assert.Equal(4, evaluation.Calls);
    }

    [Fact]
    public async Task Expired_entries_are_purged()
    {
        (VerdictCache cache, FakeTimeProvider clock) = NewCache();
        var denied = new CountingEvaluation(await Verdicts.DeniedAsync());
        var allowed = new CountingEvaluation(await Verdicts.AllowedAsync());
        await cache.GetOrEvaluateAsync(Key(1), denied.EvaluateAsync, default);
        await cache.GetOrEvaluateAsync(Key(2), allowed.EvaluateAsync, default);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, cache.PurgeExpired());
        Assert.Equal(1, cache.Count);

        // Purging also happens on its own as entries are stored (every 30 s of the clock).
        clock.Advance(TimeSpan.FromMinutes(5));
        await cache.GetOrEvaluateAsync(Key(3), denied.EvaluateAsync, default);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Invalid_options_are_SC7208()
    {
        var ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => new VerdictCache(new VerdictCacheOptions { MaxEntries = 0 })));
        Assert.Equal("SC7208", ex.Code);
        ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => new VerdictCache(new VerdictCacheOptions { DeniedTtl = TimeSpan.FromSeconds(-1) })));
        Assert.Equal("SC7208", ex.Code);
    }
}
