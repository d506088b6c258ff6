using System.Runtime.InteropServices;

namespace SupplyChain.Cli;

/// <summary>The signcli entry point.</summary>
public static class Program
{
    /// <summary>Runs signcli; Ctrl-C (SIGINT) or SIGTERM cancels the command, which then exits 130 (docs/cli.md, "Exit codes").</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The process exit code (see docs/cli.md).</returns>
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();

        // The first signal cancels the one token every library call gets, and keeps the process alive so the command can
        // unwind (temporary files removed, nothing half-written renamed into place); a second signal terminates at once.
        void Cancel(PosixSignalContext context)
        {
            if (!cancellation.IsCancellationRequested)
            {
                context.Cancel = true;
                cancellation.Cancel();
            }
        }

        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        return await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
    }
}
