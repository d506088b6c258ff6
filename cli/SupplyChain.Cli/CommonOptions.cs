using System.CommandLine;

namespace SupplyChain.Cli;

/// <summary>Options shared by every command.</summary>
internal static class CommonOptions
{
    /// <summary>The name of the debug flag.</summary>
    public const string DebugName = "--debug";

    /// <summary><c>--debug</c>: print stack traces of errors.</summary>
    public static Option<bool> Debug() => new(DebugName)
    {
        Description = "Print exception details and stack traces with errors.",
        Recursive = true,
    };

    /// <summary><c>--output text|json</c>.</summary>
    public static Option<string> Output()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Result format: 'text' (cosign-style status on stderr) or 'json' (the verification result on stdout).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }
}
