namespace SupplyChain.Fuzz;

/// <summary>
/// <c>SupplyChain.Fuzz list</c> | <c>SupplyChain.Fuzz afl TARGET</c> (under afl-fuzz, see scripts/fuzz.sh) |
/// <c>SupplyChain.Fuzz replay TARGET PATH...</c> (files or folders; prints every contract violation with its stack and
/// exits 1 if there was one).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "list")
        {
            foreach (FuzzTarget target in FuzzTargets.All)
            {
                Console.WriteLine($"{target.Name,-20} {target.Dictionary,-10} {target.AflTimeoutMilliseconds,6} 0x{target.MemoryLimitBytes:x} {target.Description}");
            }

            return 0;
        }

        if (args.Length == 2 && args[0] is "afl" or "afl-in-process" && FuzzTargets.Find(args[1]) is { } aflTarget)
        {
            AflDriver.Run(aflTarget, inProcess: args[0] == "afl-in-process");
            return 0;
        }

        if (args.Length >= 3 && args[0] == "replay" && FuzzTargets.Find(args[1]) is { } replayTarget)
        {
            GiveInstrumentationABuffer();
            return Replay.Run(replayTarget, args[2..]);
        }

        if (args.Length == 2 && args[0] == "seeds")
        {
            return SeedWriter.Run(args[1]);
        }

        Console.Error.WriteLine("usage: SupplyChain.Fuzz list | afl TARGET | afl-in-process TARGET | replay TARGET PATH... | seeds CORPUS");
        Console.Error.WriteLine("targets: " + string.Join(' ', FuzzTargets.All.Select(t => t.Name)));
        return 2;
    }

    /// <summary>
    /// Assemblies instrumented by sharpfuzz write coverage into SharpFuzz's shared memory; outside afl-fuzz (replaying
    /// crashes with the instrumented build) nothing maps it, so give them a scratch buffer of afl's map size.
    /// </summary>
    private static unsafe void GiveInstrumentationABuffer()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
        }
    }
}
