using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// Runs Debian's <c>hey</c> (an HTTP load generator; it does not verify the server's certificate) and reads its
/// summary: requests per second, the latency distribution, the status-code distribution and the error distribution.
/// </summary>
internal sealed partial record HeyRun(double RequestsPerSecond, IReadOnlyDictionary<int, long> StatusCodes, long Errors, IReadOnlyDictionary<int, double> LatencyMs, string Output)
{
    public const string Binary = "/usr/bin/hey";

    public static bool IsAvailable => File.Exists(Binary);

    public long Responses => StatusCodes.Values.Sum();

    public long Non2xx => StatusCodes.Where(kv => kv.Key is < 200 or > 299).Sum(kv => kv.Value);

    /// <summary>Posts <paramref name="bodyFile"/> as JSON to <paramref name="url"/> with <paramref name="workers"/> workers for <paramref name="duration"/>.</summary>
    public static async Task<HeyRun> PostAsync(Uri url, string bodyFile, int workers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[]
        {
            "-m", "POST", "-T", "application/json", "-D", bodyFile, "-c", workers.ToString(CultureInfo.InvariantCulture),
            "-z", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s", "-t", "10", url.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("hey did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(duration + TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("hey did not finish within its duration + 60 s");
        }

        string output = await stdout;
        return process.ExitCode == 0 ? Parse(output) : throw new InvalidOperationException($"hey exited with {process.ExitCode}: {await stderr}\n{output}");
    }

    public static HeyRun Parse(string output)
    {
        double rps = double.Parse(RequestsPerSecondLine().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no Requests/sec in hey's output:\n" + output), CultureInfo.InvariantCulture);
        var codes = new Dictionary<int, long>();
        var latency = new Dictionary<int, double>();
        long errors = 0;
        string section = string.Empty;
        foreach (string line in output.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.EndsWith(':') && !trimmed.StartsWith('['))
            {
                section = trimmed;
                continue;
            }

            if (section == "Status code distribution:" && Bracketed().Match(trimmed) is { Success: true } code)
            {
                codes[int.Parse(code.Groups[1].Value, CultureInfo.InvariantCulture)] = long.Parse(code.Groups[2].Value, CultureInfo.InvariantCulture);
            }
            else if (section == "Error distribution:" && Bracketed().Match(trimmed) is { Success: true } error)
            {
                errors += long.Parse(error.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (section == "Latency distribution:" && Percentile().Match(trimmed) is { Success: true } p)
            {
                latency[int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture)] = double.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture) * 1000;
            }
        }

        return new HeyRun(rps, codes, errors, latency, output);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"\A\[([0-9]+)\]\s+([0-9]+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"\A([0-9]+)%+ in ([0-9.]+) secs", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Percentile();
}
