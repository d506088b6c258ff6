using System.Text.RegularExpressions;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// docs/cli.md promises every command and flag (issue 14: it had no <c>instance</c> command and no <c>--instance</c>
/// flag). Walks signcli's own help, command by command, and requires each command path and each option name in the page.
/// </summary>
public sealed partial class CliDocsCompletenessTests
{
    [Fact]
    public void Every_command_and_option_signcli_has_is_in_docs_cli_md()
    {
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "cli.md"));
        var missing = new List<string>();
        foreach (string[] path in Commands([]))
        {
            string command = string.Join(' ', path);
            if (path.Length > 0 && !doc.Contains(command, StringComparison.Ordinal))
            {
                missing.Add($"command '{command}'");
            }

            foreach (string option in Options(path).Where(o => !doc.Contains(o, StringComparison.Ordinal)))
            {
                missing.Add($"{option} of '{command}'");
            }
        }

        Assert.True(missing.Count == 0, "docs/cli.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_walk_sees_the_commands_and_flags_of_the_issue()
    {
        List<string[]> commands = Commands([]).ToList();
        Assert.Contains(commands, c => c.SequenceEqual(["instance", "init"]));
        Assert.Contains("--instance", Options(["sign-blob"]));
        Assert.Contains("--legacy-format", Options(["sign"]));
    }

    private static IEnumerable<string[]> Commands(string[] path)
    {
        yield return path;
        foreach (string sub in Section(Help(path), "Commands:").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]))
        {
            foreach (string[] nested in Commands([.. path, sub]))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<string> Options(string[] path) =>
        Section(Help(path), "Options:")
            .SelectMany(line => OptionName().Matches(line.Split("  ", 2, StringSplitOptions.TrimEntries)[0]).Select(m => m.Value))
            .Where(o => o is not ("--help" or "--version"))
            .Distinct(StringComparer.Ordinal);

    private static string Help(string[] path)
    {
        CliRun run = CliRunner.Run([.. path, "--help"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout;
    }

    /// <summary>The indented entry lines of a help section ("Commands:", "Options:").</summary>
    private static IEnumerable<string> Section(string help, string title)
    {
        bool inside = false;
        foreach (string line in help.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length > 0 && line[0] != ' ')
            {
                inside = line == title;
                continue;
            }

            // Entries start two spaces in; wrapped description lines are indented further.
            if (inside && line.StartsWith("  ", StringComparison.Ordinal) && line.Length > 2 && line[2] != ' ')
            {
                yield return line.Trim();
            }
        }
    }

    [GeneratedRegex("--[a-z0-9][a-z0-9-]*", RegexOptions.None, 1000)]
    private static partial Regex OptionName();
}
