using SupplyChain.Admission.Evaluation;
using SupplyChain.Oci.Registry;
using SupplyChain.Tuf.TrustedRoots;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// Holds the current <see cref="AdmissionSnapshot"/>: polls the policy and the trust source, and when either changed
/// builds a new snapshot over the one long-lived registry client and swaps it in atomically. A request reads the
/// snapshot once and finishes on it, so a reload never disturbs a request in flight.
/// </summary>
internal sealed class SnapshotManager : IDisposable
{
    private readonly PolicyStore _policy;
    private readonly ITrustedRootSource _trust;
    private readonly IOciRegistry _registry;
    private AdmissionSnapshot? _current;

    public SnapshotManager(PolicyStore policy, ITrustedRootSource trust, IOciRegistry registry)
    {
        _policy = policy;
        _trust = trust;
        _registry = registry;
    }

    /// <summary>The snapshot requests use now, or <c>null</c> until both policy and trust material have loaded.</summary>
    public AdmissionSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>Polls both sources and swaps in a new snapshot when one of them changed.</summary>
    public async Task<IReadOnlyList<ReloadOutcome>> PollAsync(CancellationToken cancellationToken)
    {
        ReloadOutcome policy = _policy.Poll();
        ReloadOutcome trust = TrustOutcome(await _trust.RefreshAsync(cancellationToken).ConfigureAwait(false));
        bool changed = policy.Result == ReloadResult.Reloaded || trust.Result == ReloadResult.Reloaded;
        if ((changed || Current is null) && _policy.Current is { } p && _trust.Current is { } t)
        {
            Volatile.Write(ref _current, new AdmissionSnapshot(p, t.TrustedRoot, t.Version, _registry));
        }

        return [policy, trust];
    }

    public void Dispose() => _trust.Dispose();

    /// <summary>The trust source's refresh as a reload outcome: a failure is SC7207 with the source's error (SC3xxx) inside.</summary>
    private ReloadOutcome TrustOutcome(TrustedRootRefresh refresh) => refresh.Result switch
    {
        TrustedRootRefreshResult.Updated => new ReloadOutcome("trust", ReloadResult.Reloaded),
        TrustedRootRefreshResult.Failed => new ReloadOutcome("trust", ReloadResult.Failed,
            AdmissionErrors.TrustMaterialUnusable.ToException(Source() + ": " + refresh.Error!.Message, refresh.Error)),
        _ => new ReloadOutcome("trust", ReloadResult.Unchanged),
    };

    private string Source() => _trust switch
    {
        FileTrustedRootSource file => file.Path,
        TufTrustedRootSource tuf => "TUF " + tuf.RepositoryUrl,
        _ => "trusted root",
    };
}
