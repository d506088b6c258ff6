using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>Issue 13.5: a per-evaluation read budget (total bytes, concurrent downloads) that every read through <see cref="BudgetedOciRegistry"/> is charged to.</summary>
public sealed class ReadBudgetTests
{
    private static readonly ImageReference Repo = ImageReference.Parse("registry.test/team/app");

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1024, 0)]
    public void A_budget_needs_positive_limits_SC4021(long bytes, int concurrent) =>
        Assert.Equal("SC4021", Assert.ThrowsAny<SupplyChainException>(() => new RegistryReadBudget(bytes, concurrent)).Code);

    [Fact]
    public async Task A_blob_over_the_remaining_budget_is_refused_before_it_is_read()
    {
        var inner = new InMemoryRegistry();
        OciDescriptor blob = await inner.PushBlobAsync(Repo, "application/octet-stream", TestImages.RandomBytes(2000));
        using var budget = new RegistryReadBudget(1500, 2);
        var registry = new BudgetedOciRegistry(inner, budget);

        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => registry.GetBlobAsync(Repo, blob));

        Assert.Equal("SC4020", ex.Code);
        Assert.IsType<MalformedInputException>(ex);
        Assert.Equal(0, inner.Reads);
        Assert.Equal(0, budget.BytesCharged);
    }

    [Fact]
    public async Task Reads_are_charged_until_the_budget_is_spent_and_then_every_read_fails()
    {
        var inner = new InMemoryRegistry();
        OciDescriptor small = await inner.PushBlobAsync(Repo, "application/octet-stream", TestImages.RandomBytes(600));
        PushedImage image = await TestImages.PushImageAsync(inner, Repo, "v1");
        using var budget = new RegistryReadBudget(600 + image.Manifest.Length + 10, 4);
        var registry = new BudgetedOciRegistry(inner, budget);

        await registry.GetBlobAsync(Repo, small);
        Assert.Equal(600, budget.BytesCharged);
        Assert.NotNull(await registry.TryGetManifestAsync(image.Reference));
        Assert.Equal(600 + image.Manifest.Length, budget.BytesCharged);
        Assert.Equal(10, budget.Remaining);

        // The next manifest read goes over: it fails once read, and nothing is read after that.
        Assert.Equal("SC4020", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => registry.ResolveAsync(image.Reference))).Code);
        int reads = inner.Reads;
        Assert.Equal("SC4020", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => registry.TryGetManifestAsync(image.Reference))).Code);
        Assert.Equal("SC4020", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => registry.ListReferrersAsync(image.Reference))).Code);
        Assert.Equal(reads, inner.Reads);
    }

    [Fact]
    public async Task A_failed_download_gives_its_reservation_back()
    {
        var inner = new InMemoryRegistry { FailRead = _ => OciErrors.RegistryUnreachable.ToException("test") };
        using var budget = new RegistryReadBudget(1000, 1);
        var registry = new BudgetedOciRegistry(inner, budget);

        await Assert.ThrowsAnyAsync<SupplyChainException>(() => registry.GetBlobAsync(Repo, new OciDescriptor("application/octet-stream", "sha256:" + new string('a', 64), 900)));

        Assert.Equal(0, budget.BytesCharged);
    }

    [Fact]
    public async Task No_more_than_the_allowed_downloads_run_at_once()
    {
        var gate = new GatedRegistry();
        using var budget = new RegistryReadBudget(1_000_000, 2);
        var registry = new BudgetedOciRegistry(gate, budget);
        var blob = new OciDescriptor("application/octet-stream", "sha256:" + new string('a', 64), 10);

        Task<ReadOnlyMemory<byte>>[] reads = Enumerable.Range(0, 5).Select(_ => registry.GetBlobAsync(Repo, blob)).ToArray();
        await gate.WaitForInFlightAsync(2);
        Assert.Equal(2, gate.InFlight);
        gate.Release.SetResult();
        await Task.WhenAll(reads);

        Assert.Equal(2, gate.MaxInFlight);
        Assert.Equal(50, budget.BytesCharged);
    }

    [Fact]
    public async Task Writes_pass_through_uncharged()
    {
        var inner = new InMemoryRegistry();
        using var budget = new RegistryReadBudget(1, 1);
        var registry = new BudgetedOciRegistry(inner, budget);

        await registry.PushBlobAsync(Repo, "application/octet-stream", TestImages.RandomBytes(100));

        Assert.Equal(0, budget.BytesCharged);
        Assert.Same(budget, registry.Budget);
    }

    /// <summary>A registry whose blob reads wait for <see cref="Release"/>, counting how many are in flight.</summary>
    private sealed class GatedRegistry : IOciRegistry
    {
        private readonly object _lock = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int InFlight { get; private set; }

        public int MaxInFlight { get; private set; }

        public Task WaitForInFlightAsync(int count)
        {
            lock (_lock)
            {
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (InFlight >= count)
                {
                    reached.SetResult();
                }
                else
                {
                    _waiters.Add((count, reached));
                }

                return reached.Task;
            }
        }

        public async Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                InFlight++;
                MaxInFlight = Math.Max(MaxInFlight, InFlight);
                foreach ((int count, TaskCompletionSource reached) in _waiters.Where(w => InFlight >= w.Count).ToList())
                {
                    reached.SetResult();
                    _waiters.Remove((count, reached));
                }
            }

            await Release.Task;
            lock (_lock)
            {
                InFlight--;
            }

            return new byte[blob.Size];
        }

        public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
