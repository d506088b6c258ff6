using System.CommandLine;

namespace SupplyChain.Cli;

/// <summary>Options shared by every command.</summary>
internal static class CommonOptions
{
    /// <summary>The name of the debug flag.</summary>
    public const string DebugName = "--debug";

    /// <summary><c>--debug</c>: print stack traces of errors, and the libraries' log down to debug level (docs/cli.md, "Diagnostics").</summary>
    public static Option<bool> Debug() => new(DebugName)
    {
        Description = "Print exception details and stack traces with errors, and the libraries' debug log (HTTP requests, TUF, registry) on stderr.",
        Recursive = true,
    };

    /// <summary><c>--output text|json</c> of the verify commands.</summary>
    public static Option<string> Output() => Output("Result format: 'text' (cosign-style status on stderr) or 'json' (the verification result on stdout).");

    /// <summary><c>--output text|json</c>, described for the command that has it.</summary>
    public static Option<string> Output(string description)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = description,
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }
}
