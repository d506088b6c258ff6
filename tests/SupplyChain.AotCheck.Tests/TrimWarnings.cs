using System.Text.RegularExpressions;

namespace SupplyChain.AotCheck.Tests;

/// <summary>
/// The trim and AOT analysis warnings (IL2xxx: trimming, IL3xxx: single-file and NativeAOT) in MSBuild output, as the
/// Roslyn analyzers and the ILCompiler print them: <c>FILE(LINE): Trim analysis warning IL2026: MEMBER: MESSAGE [PROJECT]</c>,
/// <c>ASSEMBLY.dll : warning IL3053: ...</c>, or <c>error IL2026</c> when warnings are errors.
/// </summary>
internal static partial class TrimWarnings
{
    /// <summary>Each distinct warning line (without the trailing project), in order of first appearance.</summary>
    public static IReadOnlyList<string> Parse(string output)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            Match match = Line().Match(line.TrimEnd('\r'));
            if (match.Success && seen.Add(match.Groups["text"].Value))
            {
                found.Add(match.Groups["text"].Value);
            }
        }

        return found;
    }

    [GeneratedRegex(@"\A\s*(?<text>.*\b(?:warning|error) IL[23][0-9]{3}:.*?)(?: \[[^\]]*\])?\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Line();
}
