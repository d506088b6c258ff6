using System.Globalization;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The API server's <c>?timeout=</c> query parameter (a Go <c>time.Duration</c> string such as <c>10s</c>; the
/// ValidatingWebhookConfiguration's <c>timeoutSeconds</c>, 1-30) and the deadline derived from it: the review must
/// answer before the API server gives up, so it gets the timeout minus a margin of 10 % (at least 300 ms); the
/// watchdog answers 100 ms after that deadline at the latest.
/// </summary>
internal static class AdmissionTimeout
{
    /// <summary>The timeout the request allows: <paramref name="value"/> when it is a valid positive duration (capped at <paramref name="max"/>), else <paramref name="defaultTimeout"/>.</summary>
    public static TimeSpan Resolve(string? value, TimeSpan defaultTimeout, TimeSpan max)
    {
        if (value is null || !TryParseGoDuration(value, out TimeSpan parsed) || parsed <= TimeSpan.Zero)
        {
            return defaultTimeout;
        }

        return parsed > max ? max : parsed;
    }

    /// <summary>How long the review may take: the timeout minus max(10 %, 300 ms), and at least 1 ms.</summary>
    public static TimeSpan Deadline(TimeSpan timeout)
    {
        TimeSpan margin = timeout / 10;
        if (margin < HostingLimits.MinimumMargin)
        {
            margin = HostingLimits.MinimumMargin;
        }

        TimeSpan deadline = timeout - margin;
        return deadline > TimeSpan.Zero ? deadline : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>
    /// Parses a Go duration (time.ParseDuration): a sequence of decimal numbers, each with an optional fraction and a
    /// unit among <c>ns us µs ms s m h</c>, such as <c>10s</c>, <c>1m30s</c>, <c>1.5s</c>; <c>0</c> alone is zero.
    /// Signs are refused (a timeout is never negative).
    /// </summary>
    public static bool TryParseGoDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Length is 0 or > HostingLimits.MaxTimeoutParameterLength)
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        double totalTicks = 0;
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                return false;
            }

            int unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                i++;
            }

            double ticksPerUnit = text.AsSpan(unitStart, i - unitStart) switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1,
            };
            if (ticksPerUnit < 0)
            {
                return false;
            }

            totalTicks += number * ticksPerUnit;
            if (totalTicks > TimeSpan.FromDays(1).Ticks)
            {
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)totalTicks);
        return true;
    }
}
