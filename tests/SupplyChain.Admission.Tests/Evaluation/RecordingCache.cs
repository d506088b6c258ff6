using System.Collections.Concurrent;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>An <see cref="IVerdictCache"/> that records the keys asked for, evaluates, and reports <see cref="Source"/>; or throws <see cref="Throw"/>.</summary>
internal sealed class RecordingCache : IVerdictCache
{
    public ConcurrentQueue<VerdictKey> Keys { get; } = new();

    public VerdictSource Source { get; init; } = VerdictSource.Cached;

    public Exception? Throw { get; init; }

    public async Task<CachedVerdict> GetOrEvaluateAsync(VerdictKey key, Func<CancellationToken, Task<PolicyVerdict>> evaluate, CancellationToken cancellationToken)
    {
        Keys.Enqueue(key);
        if (Throw is not null)
        {
            throw Throw;
        }

        return new CachedVerdict(await evaluate(cancellationToken).ConfigureAwait(false), Source);
    }
}
