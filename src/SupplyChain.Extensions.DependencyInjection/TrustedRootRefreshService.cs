using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SupplyChain.Tuf.TrustedRoots;

namespace SupplyChain.Extensions.DependencyInjection;

/// <summary>
/// Keeps the registered <see cref="ITrustedRootSource"/> current: asks it at start and then every
/// <see cref="SigstoreTrustedRootOptions.PollInterval"/> (the source contacts its repository or re-reads its file only
/// when due; a failure keeps the previous trusted root and is logged by the source with its code).
/// </summary>
internal sealed class TrustedRootRefreshService : BackgroundService
{
    private readonly ITrustedRootSource _source;
    private readonly TimeSpan _poll;
    private readonly TimeProvider _time;

    public TrustedRootRefreshService(ITrustedRootSource source, IOptions<SigstoreTrustedRootOptions> options, TimeProvider time)
    {
        _source = source;
        _poll = options.Value.PollInterval;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _source.RefreshAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(_poll, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
