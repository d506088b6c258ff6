using Microsoft.Extensions.Hosting;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The reload loop as a hosted <see cref="BackgroundService"/> (started and stopped with the host): every
/// <c>--reload-interval</c> it checks the TLS pair, the policy and the trust material (<see cref="Reloader"/>); with TUF
/// it checks at once, so the first fetch does not wait an interval (local files were loaded before the host started).
/// A failure never ends the loop: it is logged and the next check retries.
/// </summary>
internal sealed class ReloadService : BackgroundService
{
    private readonly Reloader _reloader;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly bool _checkFirst;

    public ReloadService(Reloader reloader, AdmissionServerOptions options, bool checkFirst)
    {
        _reloader = reloader;
        _interval = options.ReloadInterval;
        _time = options.TimeProvider;
        _checkFirst = checkFirst;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        bool checkNow = _checkFirst;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!checkNow)
                {
                    await Task.Delay(_interval, _time, stoppingToken).ConfigureAwait(false);
                }

                checkNow = false;
                await _reloader.ReloadNowAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The reload loop must survive any failure; the next poll retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ReviewLog.ReloadFailed(_reloader.Logger, "all", AdmissionErrors.ReviewFailed.Code, ex.GetType().FullName ?? "exception");
            }
        }
    }
}
