namespace SupplyChain.Oci.Registry;

/// <summary>
/// An <see cref="IOciRegistry"/> that charges every read to a <see cref="RegistryReadBudget"/>: a blob's declared size
/// is reserved before it is downloaded (over the budget, it is never fetched), a manifest is charged once read (the
/// client caps each at 4 MiB), a referrers listing by the descriptors it returned (about what their JSON takes). Each
/// read holds one of the budget's download slots. Writes pass through uncharged. Build one per evaluation over the
/// long-lived client; the budget's exhaustion is <c>SC4020</c>.
/// </summary>
public sealed class BudgetedOciRegistry : IOciRegistry
{
    /// <summary>What a referrers listing is charged per descriptor beyond its strings: the JSON field names and the size.</summary>
    private const int ListingOverheadPerDescriptor = 128;

    private readonly IOciRegistry _inner;
    private readonly RegistryReadBudget _budget;

    /// <summary>Charges the reads of <paramref name="inner"/> to <paramref name="budget"/>.</summary>
    /// <param name="inner">The registry client.</param>
    /// <param name="budget">The evaluation's budget (the caller disposes it).</param>
    public BudgetedOciRegistry(IOciRegistry inner, RegistryReadBudget budget)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _budget = budget ?? throw new ArgumentNullException(nameof(budget));
    }

    /// <summary>The budget reads are charged to.</summary>
    public RegistryReadBudget Budget => _budget;

    /// <inheritdoc/>
    public async Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string what = "manifest " + reference;
        _budget.EnsureRemaining(what);
        using (await _budget.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            OciDescriptor descriptor = await _inner.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
            _budget.Charge(descriptor.Size, what);
            return descriptor;
        }
    }

    /// <inheritdoc/>
    public async Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string what = "manifest " + reference;
        _budget.EnsureRemaining(what);
        using (await _budget.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            FetchedManifest? manifest = await _inner.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
            _budget.Charge(manifest?.Content.Length ?? 0, what);
            return manifest;
        }
    }

    /// <inheritdoc/>
    public async Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(blob);
        string what = $"blob {repository.Registry}/{repository.Repository}@{blob.Digest}";
        _budget.Reserve(Math.Max(0, blob.Size), what);
        try
        {
            using (await _budget.EnterAsync(cancellationToken).ConfigureAwait(false))
            {
                return await _inner.GetBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            _budget.Refund(Math.Max(0, blob.Size));
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        string what = $"referrers of {subject}";
        _budget.EnsureRemaining(what);
        using (await _budget.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            IReadOnlyList<OciDescriptor> referrers = await _inner.ListReferrersAsync(subject, artifactType, cancellationToken).ConfigureAwait(false);
            _budget.Charge(referrers.Sum(ListedBytes), what);
            return referrers;
        }
    }

    /// <inheritdoc/>
    public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        _inner.PushBlobAsync(repository, mediaType, content, cancellationToken);

    /// <inheritdoc/>
    public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default) =>
        _inner.PushManifestAsync(repository, mediaType, manifest, tag, cancellationToken);

    /// <inheritdoc/>
    public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) =>
        _inner.PushReferrerAsync(repository, mediaType, manifest, cancellationToken);

    private static long ListedBytes(OciDescriptor descriptor) =>
        ListingOverheadPerDescriptor + descriptor.MediaType.Length + descriptor.Digest.Length + (descriptor.ArtifactType?.Length ?? 0)
        + (descriptor.Annotations?.Sum(a => (long)a.Key.Length + a.Value.Length + 6) ?? 0);
}
