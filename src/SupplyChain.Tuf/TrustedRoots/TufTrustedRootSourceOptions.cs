namespace SupplyChain.Tuf.TrustedRoots;

/// <summary>Options of <see cref="TufTrustedRootSource"/>: the TUF client, and how often it refreshes.</summary>
public sealed class TufTrustedRootSourceOptions
{
    /// <summary>The TUF client's options (repository, initial root, cache, transport, clock, logger).</summary>
    public required TufClientOptions Client { get; init; }

    /// <summary>How long a trusted root fetched from the repository is used before the next refresh. Default 24 hours.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How soon a failed refresh (or a first fetch that failed) is retried. Default 1 minute.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Options for a repository: Sigstore production or staging with their embedded roots, or any other repository with
    /// the initial root its operator gives.
    /// </summary>
    /// <param name="repositoryUrl">The repository; <see cref="TufClientOptions.ProductionUrl"/> when <see langword="null"/>.</param>
    /// <param name="initialRoot">The initial <c>root.json</c>; empty for the one embedded for production or staging.</param>
    /// <returns>Client options with the repository, its initial root and (for Sigstore's repositories) the embedded trusted root; add the cache, transport, clock and logger with <c>with</c>.</returns>
    /// <exception cref="Core.Errors.SupplyChainException">SC3072 when a repository other than production or staging has no initial root.</exception>
    public static TufClientOptions ClientFor(Uri? repositoryUrl, ReadOnlyMemory<byte> initialRoot = default)
    {
        Uri url = repositoryUrl ?? TufClientOptions.ProductionUrl;
        TufClientOptions defaults = url == TufClientOptions.StagingUrl ? TufClientOptions.ForStaging() : TufClientOptions.ForProduction();
        bool known = url == defaults.RepositoryUrl;
        if (initialRoot.IsEmpty && !known)
        {
            throw TufErrors.TrustedRootSourceInvalid.ToException($"the TUF repository {url} needs an initial root");
        }

        return new TufClientOptions
        {
            RepositoryUrl = url,
            InitialRoot = initialRoot.IsEmpty ? defaults.InitialRoot : initialRoot,
            EmbeddedTrustedRoot = known ? defaults.EmbeddedTrustedRoot : ReadOnlyMemory<byte>.Empty,
            EmbeddedTrustedRootDate = known ? defaults.EmbeddedTrustedRootDate : null,
        };
    }
}
