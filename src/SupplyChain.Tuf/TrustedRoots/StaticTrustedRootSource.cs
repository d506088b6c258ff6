namespace SupplyChain.Tuf.TrustedRoots;

/// <summary>
/// A trusted root that never changes: the one embedded for Sigstore production or staging, or a document the caller
/// holds. Refreshing it does nothing.
/// </summary>
public sealed class StaticTrustedRootSource : ITrustedRootSource
{
    /// <summary>Creates the source over a document.</summary>
    /// <param name="trustedRootJson">A <c>trusted_root.json</c> document.</param>
    /// <exception cref="Core.Errors.SupplyChainException">The parser's SC11xx code when the document is not a trusted root.</exception>
    public StaticTrustedRootSource(ReadOnlySpan<byte> trustedRootJson)
    {
        Current = TrustedRootSnapshot.Parse(trustedRootJson);
    }

    /// <summary>The trusted root embedded for the Sigstore production repository (as of <see cref="EmbeddedRoots.ProductionTrustedRootDate"/>).</summary>
    public static StaticTrustedRootSource Production() => new(EmbeddedRoots.ProductionTrustedRoot.Span);

    /// <summary>The trusted root embedded for the Sigstore staging repository (as of <see cref="EmbeddedRoots.StagingTrustedRootDate"/>).</summary>
    public static StaticTrustedRootSource Staging() => new(EmbeddedRoots.StagingTrustedRoot.Span);

    /// <inheritdoc />
    public TrustedRootSnapshot? Current { get; }

    /// <inheritdoc />
    public Task<TrustedRootRefresh> RefreshAsync(CancellationToken cancellationToken = default) => Task.FromResult(TrustedRootRefresh.Unchanged);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
