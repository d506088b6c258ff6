namespace SupplyChain.Fuzz;

/// <summary>The afl-fuzz side: SharpFuzz feeds each input; an exception escaping the contract is a crash afl records.</summary>
internal static class AflDriver
{
    /// <summary>Largest input read (afl++ inputs are small; the parsers' own limits are above this only for bundles).</summary>
    private const int MaxInputBytes = 1 << 20;

    public static void Run(FuzzTarget target, bool inProcess)
    {
        Action<Stream> run = stream => FuzzContract.Check(target, ReadAll(stream));
        if (inProcess)
        {
            // Faster, but a stack overflow or fatal runtime error ends the campaign.
            SharpFuzz.Fuzzer.Run(run);
        }
        else
        {
            // Out of process: SharpFuzz runs the target in a child process it restarts after a crash, so a stack
            // overflow or a fatal runtime error is reported as a crash instead of killing the fork server.
            SharpFuzz.Fuzzer.OutOfProcess.Run(run);
        }
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.Length > MaxInputBytes ? buffer.GetBuffer().AsSpan(0, MaxInputBytes).ToArray() : buffer.ToArray();
    }
}
