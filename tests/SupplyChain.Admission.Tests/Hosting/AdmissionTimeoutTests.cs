using SupplyChain.Admission.Hosting;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>The API server's ?timeout= (Go durations), its default and cap, and the deadline left to the review.</summary>
public class AdmissionTimeoutTests
{
    private static readonly TimeSpan Default = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("30s", 30_000)]
    [InlineData("1s", 1_000)]
    [InlineData("1m", 30_000)] // capped
    [InlineData("2500ms", 2_500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1m0s", 30_000)]
    [InlineData("0.5s", 500)]
    [InlineData(null, 10_000)]
    [InlineData("", 10_000)]
    [InlineData("10", 10_000)] // no unit: invalid, default
    [InlineData("-5s", 10_000)]
    [InlineData("0", 10_000)] // zero: default
    [InlineData("10x", 10_000)]
    [InlineData("s", 10_000)]
    [InlineData("1..5s", 10_000)]
    [InlineData("99999999h", 10_000)]
    [InlineData("1111111111111111111111111111111111s", 10_000)]
    public void The_timeout_parameter_resolves(string? value, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), AdmissionTimeout.Resolve(value, Default, Max));

    [Theory]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("300us", 0.3)]
    [InlineData("300µs", 0.3)]
    [InlineData("1000000ns", 1)]
    public void Go_durations_parse(string text, double expectedMs)
    {
        Assert.True(AdmissionTimeout.TryParseGoDuration(text, out TimeSpan parsed));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), parsed);
    }

    [Theory]
    [InlineData(10_000, 9_000)] // 10 %
    [InlineData(30_000, 27_000)]
    [InlineData(1_000, 700)] // at least 300 ms
    [InlineData(2_000, 1_700)]
    [InlineData(200, 1)] // never negative
    public void The_deadline_keeps_a_margin(int timeoutMs, int deadlineMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(deadlineMs), AdmissionTimeout.Deadline(TimeSpan.FromMilliseconds(timeoutMs)));
}
