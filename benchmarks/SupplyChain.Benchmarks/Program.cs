using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/SupplyChain.Benchmarks -- throughput [seconds]</c> prints
/// verifications per second (the figure compared with sigstore-js by benchmarks/run.sh);
/// <c>sign &lt;base-url&gt; &lt;trusted_root.json&gt; &lt;token&gt; [runs]</c> times keyless signing (benchmarks/signing/run.sh);
/// <c>instance [runs]</c> times signing with the embedded local instance (benchmarks/instance/run.sh);
/// <c>log-appends [seconds]</c> times durable appends to the local tlog-tiles log against the disk's fsync rate;
/// <c>verify-image [runs]</c> counts registry requests and times <c>verify IMAGE</c> against docker-registry on loopback;
/// <c>lineage [runs]</c> does the same for a policy evaluation of a 3-level lineage, cold and warm;
/// <c>layouts [runs]</c> the same lineage from OCI layouts, and copies registry &lt;-&gt; layout beside skopeo;
/// <c>admission-serve DIR</c> serves the webhook and a TLS baseline for hey, <c>admission-cold [runs]</c> times a cold
/// review of a Pod with a 3-level lineage (benchmarks/admission/run.sh);
/// <c>admission-memory WEBHOOK_DIR REPO_ROOT</c> runs the published webhook under a 256 MiB GC heap against pods of 16
/// hostile images (benchmarks/admission-memory/run.sh);
/// any other arguments go to BenchmarkDotNet.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">Arguments.</param>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "throughput")
        {
            double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
            return Throughput(seconds);
        }

        if (args.Length > 0 && args[0] == "stages")
        {
            return StageTimings.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500);
        }

        if (args.Length > 0 && args[0] == "sign")
        {
            return SigningTimings.Run(args);
        }

        if (args.Length > 0 && args[0] == "instance")
        {
            return InstanceTimings.Run(args);
        }

        if (args.Length > 0 && args[0] == "log-appends")
        {
            return LogAppendTimings.Run(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5);
        }

        if (args.Length > 0 && args[0] == "verify-image")
        {
            return ImageVerifyTimings.Run(args);
        }

        if (args.Length > 0 && args[0] == "lineage")
        {
            return LineageTimings.Run(args);
        }

        if (args.Length > 0 && args[0] == "layouts")
        {
            return LayoutTimings.Run(args);
        }

        if (args.Length > 0 && args[0] == "admission-serve")
        {
            return AdmissionServe.Run(args);
        }

        if (args.Length > 0 && args[0] == "admission-cold")
        {
            return AdmissionColdTimings.Run(args);
        }

        if (args.Length > 0 && args[0] == "admission-memory")
        {
            return AdmissionMemory.Run(args);
        }

        if (args.Length > 0 && args[0] == "per-case")
        {
            return PerCase(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int PerCase(double seconds)
    {
        ConformanceBundleSet set = ConformanceBundleSet.Load();
        set.VerifyAll();
        foreach ((string name, byte[] bundle, Core.Verification.SigstoreVerifier verifier) in set.Items)
        {
            Core.Verification.Artifact artifact = Core.Verification.Artifact.FromBytes(set.Artifact);
            long count = 0;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                verifier.Verify(Core.Bundles.SigstoreBundle.Parse(bundle), artifact, set.Policy);
                count++;
            }

            double allocatedKb = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1024.0 / count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {count / clock.Elapsed.TotalSeconds:F1}/s ({clock.Elapsed.TotalMilliseconds * 1000 / count:F0} us each, {allocatedKb:F1} KB allocated)"));
        }

        return 0;
    }

    private static int Throughput(double seconds)
    {
        ConformanceBundleSet set = ConformanceBundleSet.Load();

        // Warm up: JIT, tiered compilation, lazy regex and key state.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(3, seconds / 2))
        {
            set.VerifyAll();
        }

        long verifications = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            verifications += set.VerifyAll();
        }

        double perSecond = verifications / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"supplychain verifications/s: {perSecond:F1} ({verifications} in {clock.Elapsed.TotalSeconds:F1} s, 6 bundles, 1 thread)"));
        return 0;
    }
}
