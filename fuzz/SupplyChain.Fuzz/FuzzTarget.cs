namespace SupplyChain.Fuzz;

/// <summary>
/// One fuzz target: a parser of bytes an attacker controls, driven as far as the library goes with them (parse, then
/// verify against fixed trusted material where there is any). <see cref="Run"/> returns normally or throws; which
/// exceptions keep the contract is decided by <see cref="FuzzContract"/>, shared by the fuzzer and the replay test.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>The name used by <c>scripts/fuzz.sh</c>, the corpus folder <c>fuzz/corpus/NAME</c> and <c>testdata/fuzz-regressions/NAME</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the input is and what the target drives with it.</summary>
    public abstract string Description { get; }

    /// <summary>The dictionary under <c>fuzz/dict</c> afl-fuzz gets for this target.</summary>
    public virtual string Dictionary => "json.dict";

    /// <summary>afl-fuzz's per-input timeout (<c>-t</c>): a slower input is recorded as a hang.</summary>
    public virtual int AflTimeoutMilliseconds => 5000;

    /// <summary>The GC heap hard limit the campaign runs under: beyond it an input fails with OutOfMemoryException, a crash.</summary>
    public virtual long MemoryLimitBytes => 512L << 20;

    /// <summary>
    /// <see langword="true"/> when the target's contract includes <see cref="OperationCanceledException"/> (a documented
    /// timeout); no target's does today.
    /// </summary>
    public virtual bool AllowsCancellation => false;

    /// <summary>
    /// The most a single input may allocate on the calling thread (replay test): a fixed allowance for the work a valid
    /// input does plus a multiple of its size. A parser that allocates far beyond its input is an amplification bug.
    /// </summary>
    public virtual long AllocationBound(int inputLength) => (32L << 20) + (64L * inputLength);

    /// <summary>Runs the input through the parser (and verifier).</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>
    /// Runs one of several independent steps on the same input: a documented failure (SupplyChainException) ends only
    /// this step, so the steps after it still run; anything else escapes. The code is checked as in <see cref="FuzzContract"/>.
    /// </summary>
    protected static void Step(Action step)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            step();
        }
        catch (Core.Errors.SupplyChainException e)
        {
            FuzzContract.RequireCode(e);
        }
    }
}
