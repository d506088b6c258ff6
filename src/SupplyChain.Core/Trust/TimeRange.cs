namespace SupplyChain.Core.Trust;

/// <summary>
/// A validity window from a trusted root (sigstore_common.proto TimeRange). Both ends are inclusive:
/// the window is the closed interval [start, end]; a missing end means "still valid".
/// </summary>
public sealed class TimeRange
{
    /// <summary>Creates a window.</summary>
    /// <param name="start">The first valid instant.</param>
    /// <param name="end">The last valid instant, or <see langword="null"/> when open-ended.</param>
    public TimeRange(DateTimeOffset start, DateTimeOffset? end)
    {
        if (end is { } e && e < start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), "The end of a time range precedes its start.");
        }

        Start = start;
        End = end;
    }

    /// <summary>The first valid instant.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The last valid instant; <see langword="null"/> when the window is open-ended.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>
    /// <see langword="true"/> when <paramref name="instant"/> lies in [start, end]. sigstore-conformance
    /// "trust-root-*-validity-end-inclusive": an event exactly at the end is valid.
    /// </summary>
    /// <param name="instant">The time to test.</param>
    public bool Contains(DateTimeOffset instant) => instant >= Start && (End is null || instant <= End.Value);

    /// <inheritdoc />
    public override string ToString() => $"[{Start:O}, {(End is { } e ? e.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "open")}]";
}
