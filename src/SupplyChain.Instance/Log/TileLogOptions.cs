namespace SupplyChain.Instance.Log;

/// <summary>Batching of a <see cref="TileLog"/>'s appends.</summary>
public sealed class TileLogOptions
{
    /// <summary>Most entries committed under one checkpoint (1-65536; default 256).</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>
    /// How long the writer waits for more appends after the first of a batch (default zero: a batch is
    /// whatever queued while the previous batch was being made durable).
    /// </summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.Zero;

    /// <summary>The clock of <see cref="MaxBatchDelay"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 65536);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchDelay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
