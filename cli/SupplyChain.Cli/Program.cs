namespace SupplyChain.Cli;

/// <summary>The signcli entry point.</summary>
public static class Program
{
    /// <summary>Runs signcli.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The process exit code (see docs/cli.md).</returns>
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}
