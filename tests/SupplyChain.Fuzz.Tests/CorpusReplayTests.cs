using SupplyChain.Testing;

namespace SupplyChain.Fuzz.Tests;

/// <summary>
/// Every seed of fuzz/corpus/TARGET and every minimised crash of testdata/fuzz-regressions/TARGET, replayed through the
/// same target code afl-fuzz runs (docs/fuzzing.md): each input gives a result or a SupplyChainException with an SCnnnn
/// code, never another exception, and allocates no more on this thread than the target's bound for its size. A fixed
/// crash cannot come back unnoticed.
/// </summary>
public sealed class CorpusReplayTests
{
    private static string Corpus => Path.Combine(TestPaths.RepositoryRoot, "fuzz", "corpus");

    private static string Regressions => Path.Combine(TestPaths.TestData, "fuzz-regressions");

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_and_regression_input_keeps_the_contract(string name)
    {
        FuzzTarget target = FuzzTargets.Find(name)!;
        string[] folders = [Path.Combine(Corpus, name), Path.Combine(Regressions, name)];
        string[] inputs = [.. Replay.Inputs(folders.Where(Directory.Exists))];
        Assert.NotEmpty(inputs);

        // Once unmeasured, so one-time work (fixtures, lazily built verifiers, JIT) is not charged to an input.
        foreach (string file in inputs)
        {
            Run(target, file);
        }

        var failures = new List<string>();
        foreach (string file in inputs)
        {
            byte[] input = File.ReadAllBytes(file);
            long before = GC.GetAllocatedBytesForCurrentThread();
            string? failure = Run(target, file);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (failure is not null)
            {
                failures.Add(failure);
            }
            else if (allocated > target.AllocationBound(input.Length))
            {
                failures.Add($"{Path.GetFileName(file)}: allocated {allocated} bytes for {input.Length} input bytes (bound {target.AllocationBound(input.Length)})");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_target_has_seeds_and_every_input_folder_names_a_target()
    {
        string[] names = [.. FuzzTargets.All.Select(t => t.Name)];
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.True(Directory.EnumerateFiles(Path.Combine(Corpus, n)).Any(), $"fuzz/corpus/{n} has no seed"));
        string[] folders = [.. Directory.GetDirectories(Corpus).Concat(Directory.Exists(Regressions) ? Directory.GetDirectories(Regressions) : []).Select(Path.GetFileName)!];
        Assert.All(folders, f => Assert.Contains(f, names));
    }

    [Fact]
    public void An_exception_outside_the_contract_is_a_failure()
    {
        Assert.Throws<InvalidOperationException>(() => FuzzContract.Check(new ThrowingTarget(), [1]));
    }

    private static string? Run(FuzzTarget target, string file)
    {
        try
        {
            FuzzContract.Check(target, File.ReadAllBytes(file));
            return null;
        }
        catch (Exception e)
        {
            return $"{Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}";
        }
    }

    private sealed class ThrowingTarget : FuzzTarget
    {
        public override string Name => "throwing";

        public override string Description => "throws InvalidOperationException";

        public override void Run(ReadOnlySpan<byte> input) => throw new InvalidOperationException("not a documented kind");
    }
}
