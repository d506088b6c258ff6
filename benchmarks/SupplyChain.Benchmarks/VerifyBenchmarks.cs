using BenchmarkDotNet.Attributes;

namespace SupplyChain.Benchmarks;

/// <summary>Offline verification of the six conformance bundles with reused verifiers, one thread.</summary>
[MemoryDiagnoser]
public class VerifyBenchmarks
{
    private ConformanceBundleSet _set = null!;

    /// <summary>Loads bundles and builds verifiers (not measured).</summary>
    [GlobalSetup]
    public void Setup() => _set = ConformanceBundleSet.Load();

    /// <summary>Parses and verifies all six bundles: one operation = six verifications.</summary>
    [Benchmark(OperationsPerInvoke = 6)]
    public int VerifySixConformanceBundles() => _set.VerifyAll();
}
