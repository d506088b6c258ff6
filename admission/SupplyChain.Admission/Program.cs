using SupplyChain.Admission.Hosting;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission;

/// <summary>The webhook's entry point (docs/admission.md, "Running"; flags in Hosting/README.md).</summary>
public static class Program
{
    /// <summary>Runs the webhook until it is stopped (SIGTERM).</summary>
    /// <param name="args">Command-line flags (Hosting/README.md).</param>
    /// <returns>The process exit code: 0 after a clean stop, 2 for bad flags (SC7208, with the usage), 3 when the server cannot start.</returns>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["--help"] or ["-h"])
        {
            await Console.Out.WriteAsync(CommandLine.Usage()).ConfigureAwait(false);
            return 0;
        }

        AdmissionServerOptions options;
        try
        {
            // Flags over SUPPLYCHAIN_ADMISSION_* environment variables over defaults (Hosting/README.md, "Flags").
            options = AdmissionConfiguration.Bind(AdmissionConfiguration.Build(args));
        }
        catch (SupplyChainException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            await Console.Error.WriteAsync(CommandLine.Usage()).ConfigureAwait(false);
            return 2;
        }

        AdmissionServer server;
        try
        {
            server = await AdmissionServer.StartAsync(options).ConfigureAwait(false);
        }
        catch (SupplyChainException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ex.Error.Category == ErrorCategory.MalformedInput ? 2 : 3;
        }

        await server.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
