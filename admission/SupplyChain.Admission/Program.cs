namespace SupplyChain.Admission;

/// <summary>The webhook's entry point (docs/admission.md, "Running").</summary>
public static class Program
{
    /// <summary>Runs the webhook until it is stopped.</summary>
    /// <param name="args">Command-line options (docs/admission.md).</param>
    /// <returns>The process exit code.</returns>
    public static Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        throw new NotImplementedException("issue 7: the hosting helper wires the server here");
    }
}
