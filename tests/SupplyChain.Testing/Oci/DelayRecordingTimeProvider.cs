using System.Collections.Concurrent;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// A clock for retry tests: every timer shorter than ten minutes (a retry delay) is recorded, moves the clock forward by
/// its due time and fires at once, so tests see exactly which waits were asked for without waiting; longer timers
/// (per-attempt timeouts) never fire.
/// </summary>
public sealed class DelayRecordingTimeProvider : TimeProvider
{
    private static readonly TimeSpan LongTimer = TimeSpan.FromMinutes(10);
    private readonly Lock _lock = new();
    private DateTimeOffset _now;

    /// <summary>Starts at <paramref name="start"/>.</summary>
    /// <param name="start">The initial time.</param>
    public DelayRecordingTimeProvider(DateTimeOffset start)
    {
        _now = start;
    }

    /// <summary>The delays asked for, in order.</summary>
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward.</summary>
    /// <param name="by">How far.</param>
    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime < LongTimer)
        {
            Delays.Enqueue(dueTime);
            Advance(dueTime);
            _ = Task.Run(async () =>
            {
                await Task.Yield();
                callback(state);
            });
        }

        return new InertTimer();
    }

    private sealed class InertTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
