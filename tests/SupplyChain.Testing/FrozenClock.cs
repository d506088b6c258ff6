namespace SupplyChain.Testing;

/// <summary>
/// A clock whose "now" stands still while its timers run on real time: for tests against real loopback servers or
/// retrying clients, whose attempt timeouts and retry delays must elapse (a slow-retrieval attack, an unreachable
/// repository). Tests that move time use <c>FakeTimeProvider</c>, whose timers fire only when it is advanced (a request
/// timeout would never end there); tests that record waits use <see cref="Oci.DelayRecordingTimeProvider"/>.
/// </summary>
public sealed class FrozenClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The time every <see cref="GetUtcNow"/> answers; settable between calls.</summary>
    public DateTimeOffset Now { get; set; } = now;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Now;
}
