using Microsoft.Extensions.Logging;
using SupplyChain.Admission.Hosting.Metrics;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// Checks every source once (TLS pair, policy, trust material), counts and logs what changed; calls are serialised, so
/// the background loop (<see cref="ReloadService"/>) and a caller asking now never overlap.
/// </summary>
internal sealed class Reloader : IDisposable
{
    private readonly TlsCertificateStore _certificate;
    private readonly SnapshotManager _snapshots;
    private readonly AdmissionMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Reloader(TlsCertificateStore certificate, SnapshotManager snapshots, AdmissionMetrics metrics, ILogger logger)
    {
        _certificate = certificate;
        _snapshots = snapshots;
        _metrics = metrics;
        _logger = logger;
    }

    public ILogger Logger => _logger;

    public async Task<IReadOnlyList<ReloadOutcome>> ReloadNowAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var outcomes = new List<ReloadOutcome>(3);
            ReloadResult tls = _certificate.TryReload(out SupplyChainException? tlsError);
            outcomes.Add(new ReloadOutcome("certificate", tls, tlsError));
            outcomes.AddRange(await _snapshots.PollAsync(cancellationToken).ConfigureAwait(false));
            foreach (ReloadOutcome outcome in outcomes)
            {
                _metrics.RecordReload(outcome);
                if (outcome.Result == ReloadResult.Reloaded)
                {
                    ReviewLog.Reloaded(_logger, outcome.What);
                }
                else if (outcome is { Result: ReloadResult.Failed, Error: { } error })
                {
                    ReviewLog.ReloadFailed(_logger, outcome.What, error.Code, error.Message);
                }
            }

            return outcomes;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
