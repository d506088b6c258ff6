using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;

namespace SupplyChain.Tuf.TrustedRoots;

/// <summary>
/// The Sigstore trusted root from a TUF repository, kept current (TUF 1.0 spec section 5, "Detailed client workflow",
/// through <see cref="TufClient"/>): fetched on the first refresh, then again once <see cref="TufTrustedRootSourceOptions.RefreshInterval"/>
/// has passed, and after a failure once <see cref="TufTrustedRootSourceOptions.RetryInterval"/> has passed; a refresh
/// before it is due does nothing. The trusted root is the repository's verified <c>trusted_root.json</c> target, never an
/// embedded copy: a source that never reached its repository has no trusted root (fail closed). A failure keeps the
/// previous trusted root and is logged with its code.
/// </summary>
public sealed class TufTrustedRootSource : ITrustedRootSource
{
    private readonly TufClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly TimeSpan _retry;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _due = DateTimeOffset.MinValue;
    private TrustedRootSnapshot? _current;

    /// <summary>Creates the source and its TUF client. No I/O happens before the first <see cref="RefreshAsync"/>.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="SupplyChainException">SC3072 for non-positive intervals; SC3023 for invalid client options.</exception>
    public TufTrustedRootSource(TufTrustedRootSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Client);
        if (options.RefreshInterval <= TimeSpan.Zero || options.RetryInterval <= TimeSpan.Zero)
        {
            throw TufErrors.TrustedRootSourceInvalid.ToException("the refresh and retry intervals must be positive");
        }

        _client = new TufClient(options.Client);
        _time = options.Client.TimeProvider;
        _refresh = options.RefreshInterval;
        _retry = options.RetryInterval;
        _logger = options.Client.LoggerFactory?.CreateLogger<TufTrustedRootSource>();
    }

    /// <summary>The repository (with a trailing slash).</summary>
    public Uri RepositoryUrl => _client.RepositoryUrl;

    /// <inheritdoc />
    public TrustedRootSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>When the next refresh will contact the repository (<see cref="DateTimeOffset.MinValue"/> before the first).</summary>
    public DateTimeOffset NextRefreshDue => _due;

    /// <inheritdoc />
    public async Task<TrustedRootRefresh> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (now < _due)
            {
                return TrustedRootRefresh.Unchanged;
            }

            try
            {
                TufResult<ReadOnlyMemory<byte>> target = await _client.GetTargetAsync(TufClient.TrustedRootTarget, cancellationToken).ConfigureAwait(false);
                TrustedRootSnapshot snapshot = TrustedRootSnapshot.Parse(target.Bytes.Span);
                _due = now + _refresh;
                if (snapshot.Version == Current?.Version)
                {
                    return TrustedRootRefresh.Unchanged;
                }

                Volatile.Write(ref _current, snapshot);
                TrustedRootSourceLog.Updated(_logger, RepositoryUrl.AbsoluteUri, snapshot.Version);
                return TrustedRootRefresh.Updated;
            }
            catch (SupplyChainException ex)
            {
                return Failed(now, ex);
            }
            catch (HttpRequestException ex)
            {
                return Failed(now, TufErrors.RepositoryUnreachable.ToException($"{RepositoryUrl}: {ex.Message}", ex));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _gate.Dispose();
    }

    private TrustedRootRefresh Failed(DateTimeOffset now, SupplyChainException error)
    {
        _due = now + _retry;
        TrustedRootSourceLog.RefreshFailed(_logger, RepositoryUrl.AbsoluteUri, error.Code, error.Message);
        return TrustedRootRefresh.Failed(error);
    }
}
