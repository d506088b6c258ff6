namespace SupplyChain.Oci.Registry;

/// <summary>
/// A read budget for one evaluation (one admission review, one <c>policy test</c> image): at most
/// <see cref="MaxTotalBytes"/> of manifests, blobs and referrers listings read through a
/// <see cref="BudgetedOciRegistry"/>, and at most <see cref="MaxConcurrentDownloads"/> reads at once. The limits of the
/// registry client bound each read (4 MiB per manifest, the descriptor's size per blob); a budget bounds their sum, so a
/// pod naming many images with large attachments cannot make one evaluation hold gigabytes. Exhausted, every further
/// read fails with <c>SC4020</c> (malformed input: a signature read over it is rejected like an invalid one, never
/// taken as a registry outage). Thread-safe; dispose it when the evaluation ends.
/// </summary>
public sealed class RegistryReadBudget : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private long _charged;

    /// <summary>Creates a budget; <c>SC4021</c> unless both limits are positive.</summary>
    /// <param name="maxTotalBytes">Most bytes read in all.</param>
    /// <param name="maxConcurrentDownloads">Most reads in flight at once.</param>
    public RegistryReadBudget(long maxTotalBytes, int maxConcurrentDownloads)
    {
        if (maxTotalBytes <= 0 || maxConcurrentDownloads <= 0)
        {
            throw OciErrors.ReadBudgetInvalid.ToException("maxTotalBytes and maxConcurrentDownloads must be positive");
        }

        MaxTotalBytes = maxTotalBytes;
        MaxConcurrentDownloads = maxConcurrentDownloads;
        _slots = new SemaphoreSlim(maxConcurrentDownloads, maxConcurrentDownloads);
    }

    /// <summary>Most bytes read in all.</summary>
    public long MaxTotalBytes { get; }

    /// <summary>Most reads in flight at once.</summary>
    public int MaxConcurrentDownloads { get; }

    /// <summary>Bytes charged so far (may pass <see cref="MaxTotalBytes"/> by the read that exhausted the budget).</summary>
    public long BytesCharged => Interlocked.Read(ref _charged);

    /// <summary>Bytes left before the budget is exhausted.</summary>
    public long Remaining => Math.Max(0, MaxTotalBytes - BytesCharged);

    /// <inheritdoc/>
    public void Dispose() => _slots.Dispose();

    /// <summary>Reserves <paramref name="bytes"/> before a read of known size; <c>SC4020</c> (nothing reserved) when they do not fit.</summary>
    /// <param name="bytes">The bytes about to be read.</param>
    /// <param name="what">What is read, for the message.</param>
    public void Reserve(long bytes, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long before = Interlocked.Read(ref _charged);
        while (true)
        {
            if (before + bytes > MaxTotalBytes)
            {
                throw Exhausted(what, bytes);
            }

            long seen = Interlocked.CompareExchange(ref _charged, before + bytes, before);
            if (seen == before)
            {
                return;
            }

            before = seen;
        }
    }

    /// <summary>Charges <paramref name="bytes"/> already read (a manifest, whose size is known only once read); <c>SC4020</c> when the budget is now exceeded.</summary>
    /// <param name="bytes">The bytes read.</param>
    /// <param name="what">What was read, for the message.</param>
    public void Charge(long bytes, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (Interlocked.Add(ref _charged, bytes) > MaxTotalBytes)
        {
            throw Exhausted(what, bytes);
        }
    }

    /// <summary>Gives back a reservation whose read did not happen (it failed before the bytes arrived).</summary>
    internal void Refund(long bytes) => Interlocked.Add(ref _charged, -bytes);

    /// <summary>Fails with <c>SC4020</c> when nothing is left, before a read whose size is not known yet.</summary>
    /// <param name="what">What is about to be read, for the message.</param>
    public void EnsureRemaining(string what)
    {
        if (Remaining == 0)
        {
            throw Exhausted(what, 0);
        }
    }

    /// <summary>Waits for a download slot (at most <see cref="MaxConcurrentDownloads"/> are held at once); dispose the result to release it.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The slot.</returns>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_slots);
    }

    private Core.Errors.SupplyChainException Exhausted(string what, long bytes) =>
        OciErrors.ReadBudgetExhausted.ToException($"{what}: {bytes} bytes more than the {MaxTotalBytes}-byte budget allows ({BytesCharged} read)");

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
