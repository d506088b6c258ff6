using System.Diagnostics;
using System.Globalization;
using SupplyChain.Instance;
using SupplyChain.Signing.Bundles;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>instance [runs]</c>: keyless message signing with the embedded local instance, as <c>sign-blob --instance
/// local</c> does (a local token minted, ephemeral key, certificate, Rekor v2 entry appended durably to the tile log,
/// RFC 3161 timestamp, bundle verified), first in process (no socket), then against the same instance served on
/// 127.0.0.1 over loopback HTTP (the same-run peer). One untimed warm-up signing per mode, then <c>runs</c> timed
/// ones with a warm process; prints mean, p50 and p95 of each.
/// </summary>
internal static class InstanceTimings
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        string dir = Directory.CreateTempSubdirectory("sc-bench-instance-").FullName;
        try
        {
            LocalInstance.Initialize(dir);
            using LocalInstance instance = LocalInstance.Open(dir);
            byte[] artifact = "a small artifact for the signing benchmark\n"u8.ToArray();

            using (var inProcess = new BundleSigner(new BundleSignerOptions
            {
                TrustedMaterial = instance.LoadTrustedRoot(),
                SigningConfig = instance.LoadSigningConfig(),
                Transport = instance.CreateHttpHandler(),
            }))
            {
                Report("in process", Time(runs, () => inProcess.SignMessageAsync(new MemoryStream(artifact), instance.MintIdentityToken()).GetAwaiter().GetResult()));
            }

            LocalInstanceServer server = instance.ServeAsync(0).GetAwaiter().GetResult();
            try
            {
                var config = Core.Trust.SigningConfig.Parse(System.Text.Encoding.UTF8.GetBytes(
                    File.ReadAllText(instance.SigningConfigPath).Replace(instance.ServeUrl.AbsoluteUri.TrimEnd('/'), server.Url.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal)));
                using var overHttp = new BundleSigner(new BundleSignerOptions { TrustedMaterial = instance.LoadTrustedRoot(), SigningConfig = config });
                Report("loopback HTTP", Time(runs, () => overHttp.SignMessageAsync(new MemoryStream(artifact), instance.MintIdentityToken()).GetAwaiter().GetResult()));
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log entries after the run: {instance.LogSize}"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<double> Time(int runs, Action sign)
    {
        var cold = Stopwatch.StartNew();
        sign();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up (first signing in this mode): {cold.Elapsed.TotalMilliseconds:F1} ms"));
        var times = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            sign();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static void Report(string mode, List<double> times)
    {
        List<double> sorted = [.. times.Order()];
        double Percentile(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sign-blob --instance local, {mode}, {times.Count} signings: mean {times.Average():F2} ms, p50 {Percentile(0.5):F2} ms, p95 {Percentile(0.95):F2} ms"));
    }
}
