namespace SupplyChain.Oci.Registry;

/// <summary>
/// A read budget for one evaluation (one admission review, one <c>policy test</c> image): at most
/// <see cref="MaxTotalBytes"/> of manifests, blobs and referrers listings read through a
/// <see cref="BudgetedOciRegistry"/>, and at most <see cref="MaxConcurrentDownloads"/> reads at once (a blob larger than
/// <see cref="SlotBytes"/> counting as one read per 4 MiB it declares, so the bytes in flight are bounded too). The limits of the
/// registry client bound each read (4 MiB per manifest, the descriptor's size per blob); a budget bounds their sum, so a
/// pod naming many images with large attachments cannot make one evaluation hold gigabytes. Exhausted, every further
/// read fails with <c>SC4020</c> (malformed input: a signature read over it is rejected like an invalid one, never
/// taken as a registry outage). Thread-safe; dispose it when the evaluation ends.
/// </summary>
public sealed class RegistryReadBudget : IDisposable
{
    /// <summary>
    /// The bytes one download slot stands for: a read of a larger declared size (a blob) holds one slot per 4 MiB it
    /// declares (the most a manifest may be), at most all of them, so the slots bound the bytes in flight as well as
    /// the reads: eight slots hold at most one 32 MiB attestation, or eight reads of 4 MiB or less, at a time.
    /// </summary>
    public const long SlotBytes = Limits.MaxManifestBytes;

    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _multiSlot = new(1, 1);
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
    public void Dispose()
    {
        _slots.Dispose();
        _multiSlot.Dispose();
    }

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

    /// <summary>
    /// Waits for as many download slots as a read of <paramref name="bytes"/> needs (one per <see cref="SlotBytes"/>, at
    /// least one, at most <see cref="MaxConcurrentDownloads"/>); dispose the result to release them all. A read that needs
    /// several takes them one by one while it alone holds the right to (so two large reads never each hold half).
    /// </summary>
    /// <param name="bytes">The declared size of the read.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The slots.</returns>
    public async Task<IDisposable> EnterAsync(long bytes, CancellationToken cancellationToken = default)
    {
        int needed = (int)Math.Clamp((Math.Max(0, bytes) + SlotBytes - 1) / SlotBytes, 1, MaxConcurrentDownloads);
        if (needed == 1)
        {
            return await EnterAsync(cancellationToken).ConfigureAwait(false);
        }

        await _multiSlot.WaitAsync(cancellationToken).ConfigureAwait(false);
        int held = 0;
        try
        {
            for (; held < needed; held++)
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new Slot(_slots, held);
        }
        catch
        {
            if (held > 0)
            {
                _slots.Release(held);
            }

            throw;
        }
        finally
        {
            _multiSlot.Release();
        }
    }

    private Core.Errors.SupplyChainException Exhausted(string what, long bytes) =>
        OciErrors.ReadBudgetExhausted.ToException($"{what}: {bytes} bytes more than the {MaxTotalBytes}-byte budget allows ({BytesCharged} read)");

    private sealed class Slot(SemaphoreSlim slots, int count = 1) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release(count);
            }
        }
    }
}
