using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SupplyChain.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into one line a user can act on. System.CommandLine binds an unknown option
/// such as <c>--bogus</c> to the command's argument and then reports the token after it as unrecognized, and it says
/// nothing useful about a misspelled command. Here an unknown option is named as such (with where it does exist, or the
/// nearest option), a misspelled command gets "did you mean" suggestions, and only then System.CommandLine's own
/// messages are used. System.CommandLine 3.0 has typo corrections of its own (<c>ParseErrorAction.ShowTypoCorrections</c>),
/// but they are printed by its error action in its own multi-line format, outside the SC6001 line every usage error has.
/// </summary>
internal static class UsageErrors
{
    /// <summary>What is wrong with the command line, in one line (without the code and the help hint).</summary>
    public static string Describe(ParseResult parse, RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(root);
        Command command = parse.CommandResult.Command;

        List<string> unknownOptions = UnknownOptions(parse);
        if (unknownOptions.Count > 0)
        {
            return string.Join("; ", unknownOptions.Select(option => DescribeUnknownOption(option, command, parse.CommandResult, root)));
        }

        // A command with subcommands and no arguments of its own: the first stray word is a misspelled command.
        if (command.Subcommands.Count > 0 && command.Arguments.Count == 0 && parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is { } word)
        {
            string where = command is RootCommand ? "" : $" for '{CommandPath(parse.CommandResult)}'";
            string[] suggestions = Suggest(word, command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)));
            return $"unknown command '{word}'{where}{DidYouMean(suggestions)}";
        }

        return string.Join("; ", parse.Errors.Select(e => CliApp.OneLine(e.Message)));
    }

    /// <summary>"signcli sign", "signcli instance init": the command as typed.</summary>
    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is CommandResult c; current = c.Parent)
        {
            names.Add(c.Command is RootCommand ? "signcli" : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>
    /// Tokens that look like options (a dash and more, not a number) that no option of the command took: those
    /// System.CommandLine bound to a command argument or left unmatched. Tokens after <c>--</c> are arguments by request.
    /// </summary>
    private static List<string> UnknownOptions(ParseResult parse)
    {
        IReadOnlyList<Token> tokens = parse.Tokens;
        int end = tokens.Count;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.DoubleDash)
            {
                end = i;
                break;
            }
        }

        var unmatched = new HashSet<string>(parse.UnmatchedTokens, StringComparer.Ordinal);
        var boundToArguments = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        for (SymbolResult? current = parse.CommandResult; current is CommandResult c; current = c.Parent)
        {
            foreach (ArgumentResult argument in c.Children.OfType<ArgumentResult>())
            {
                foreach (Token token in argument.Tokens)
                {
                    boundToArguments.Add(token);
                }
            }
        }

        var unknown = new List<string>();
        for (int i = 0; i < end; i++)
        {
            Token token = tokens[i];
            if (token.Type == TokenType.Argument && LooksLikeOption(token.Value) && (boundToArguments.Contains(token) || unmatched.Contains(token.Value)) && !unknown.Contains(token.Value))
            {
                unknown.Add(token.Value);
            }
        }

        return unknown;
    }

    private static bool LooksLikeOption(string value) =>
        value.Length > 1 && value[0] == '-' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string DescribeUnknownOption(string token, Command command, CommandResult result, RootCommand root)
    {
        string name = token.Split('=', 2)[0];
        string text = $"unknown option '{name}' for '{CommandPath(result)}'";
        string[] elsewhere = AllCommands(root, "")
            .Where(c => c.Command != command && c.Command.Options.Any(o => !o.Hidden && (o.Name == name || o.Aliases.Contains(name))))
            .Select(c => c.Path)
            .ToArray();
        if (elsewhere.Length > 0)
        {
            return $"{text} ({name} belongs to {string.Join(", ", elsewhere)})";
        }

        return text + DidYouMean(Suggest(name, OptionNames(result)));
    }

    /// <summary>The options the command accepts: its own, and the recursive ones of its parents (--help, --debug).</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? current = result; current is CommandResult c; current = c.Parent)
        {
            foreach (Option option in c.Command.Options.Where(o => !o.Hidden && (c == result || o.Recursive)))
            {
                yield return option.Name;
                foreach (string alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    private static IEnumerable<(Command Command, string Path)> AllCommands(Command command, string prefix)
    {
        foreach (Command sub in command.Subcommands.Where(c => !c.Hidden))
        {
            string path = prefix.Length == 0 ? sub.Name : prefix + " " + sub.Name;
            yield return (sub, path);
            foreach ((Command Command, string Path) nested in AllCommands(sub, path))
            {
                yield return nested;
            }
        }
    }

    private static string DidYouMean(string[] suggestions) => suggestions.Length switch
    {
        0 => "",
        1 => $" (did you mean '{suggestions[0]}'?)",
        _ => $" (did you mean one of {string.Join(", ", suggestions.Select(s => $"'{s}'"))}?)",
    };

    /// <summary>
    /// The nearest names: an optimal-string-alignment edit distance of at most 2 (1 for names of up to 4 letters), or
    /// <paramref name="typed"/> as a prefix of at least 3 letters; at most 3, nearest first.
    /// </summary>
    internal static string[] Suggest(string typed, IEnumerable<string> candidates)
    {
        string bare = typed.TrimStart('-');
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(bare, c.TrimStart('-')), Prefix: bare.Length >= 3 && c.TrimStart('-').StartsWith(bare, StringComparison.Ordinal)))
            .Where(c => c.Distance <= (c.Name.TrimStart('-').Length <= 4 ? 1 : 2) || c.Prefix)
            .OrderBy(c => c.Prefix && c.Distance > 2 ? 3 : c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Name)
            .ToArray();
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
