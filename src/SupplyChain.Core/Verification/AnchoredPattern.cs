using System.Text.RegularExpressions;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Checks that a user's identity pattern is one self-contained expression, so that <c>\A(?:pattern)\z</c> anchors
/// all of it. Without this, <c>x)|(.*</c> becomes <c>\A(?:x)|(.*)\z</c>: an alternation whose second branch is
/// unanchored at the start and matches every identity. A tokenizer over .NET's pattern syntax (escapes, character
/// classes with subtraction, groups) requires that no <c>)</c> closes more than the pattern opened (a group left open
/// is the engine's error), which keeps every top-level <c>|</c> inside the wrapper's group; it refuses what could
/// change how the rest is read or reach outside the pattern: comments <c>(?#...)</c>, inline options other than
/// <c>i</c>, <c>m</c>, <c>s</c> (<c>x</c> turns <c>#</c> into a comment that could swallow the wrapper's <c>)</c>),
/// conditionals, balancing groups, <c>\G</c>, a trailing backslash, an unterminated class. Then the pattern must
/// compile on its own, and wrapped it must have exactly the groups it has alone.
/// </summary>
internal static class AnchoredPattern
{
    private static readonly Regex GroupName = new(@"\A(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Why <paramref name="pattern"/> could escape its anchors, or <c>null</c> when it is one self-contained expression.</summary>
    public static string? Problem(string pattern)
    {
        int depth = 0;
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 >= pattern.Length)
                    {
                        return "it ends with a lone backslash";
                    }

                    if (pattern[i + 1] == 'G')
                    {
                        return @"\G (a match-position anchor) is not allowed";
                    }

                    i += 2;
                    break;
                case '[':
                    i = SkipClass(pattern, i);
                    if (i < 0)
                    {
                        return "a character class is not closed";
                    }

                    break;
                case '(':
                    if (GroupOpening(pattern, i, out int consumed, out bool opensGroup) is { } problem)
                    {
                        return problem;
                    }

                    depth += opensGroup ? 1 : 0;
                    i += consumed;
                    break;
                case ')':
                    if (--depth < 0)
                    {
                        return "a ')' closes a group the pattern did not open (it would close the anchoring group)";
                    }

                    i++;
                    break;
                default:
                    i++;
                    break;
            }
        }

        // A group left open cannot reach outside the wrapper; the engine refuses the pattern (SC1605).
        return null;
    }

    /// <summary>
    /// The group construct at <paramref name="start"/> ('('): plain and named captures, <c>(?:</c>, lookarounds and
    /// atomic groups (left to the engine, which refuses what it cannot run), and inline options of <c>i</c>, <c>m</c>,
    /// <c>s</c> only, as <c>(?i)</c> (no group) or <c>(?i:</c>.
    /// </summary>
    private static string? GroupOpening(string pattern, int start, out int consumed, out bool opensGroup)
    {
        consumed = 1;
        opensGroup = true;
        if (start + 1 >= pattern.Length || pattern[start + 1] != '?')
        {
            return null;
        }

        if (start + 2 >= pattern.Length)
        {
            return "'(?' is not closed";
        }

        char kind = pattern[start + 2];
        switch (kind)
        {
            case ':' or '=' or '!' or '>':
                consumed = 3;
                return null;
            case '#':
                return "comments (?#...) are not allowed";
            case '(':
                return "conditionals (?(...)...) are not allowed";
            case '<' when start + 3 < pattern.Length && pattern[start + 3] is '=' or '!':
                consumed = 4;
                return null;
            case '<' or '\'':
                char close = kind == '<' ? '>' : '\'';
                int end = pattern.IndexOf(close, start + 3);
                if (end < 0 || !GroupName.IsMatch(pattern[(start + 3)..end]))
                {
                    return "a named group's name is not letters, digits and '_' (balancing groups are not allowed)";
                }

                consumed = end + 1 - start;
                return null;
            default:
                return InlineOptions(pattern, start, out consumed, out opensGroup);
        }
    }

    /// <summary><c>(?imsx-imsx)</c> or <c>(?imsx-imsx:</c>, of which only i, m and s are allowed.</summary>
    private static string? InlineOptions(string pattern, int start, out int consumed, out bool opensGroup)
    {
        consumed = 0;
        opensGroup = false;
        int i = start + 2;
        while (i < pattern.Length && pattern[i] is not (')' or ':'))
        {
            if (pattern[i] is not ('i' or 'm' or 's' or '-'))
            {
                return $"the inline option or group construct '(?{pattern[i]}' is not allowed (options i, m and s only)";
            }

            i++;
        }

        if (i >= pattern.Length)
        {
            return "'(?' is not closed";
        }

        opensGroup = pattern[i] == ':';
        consumed = i + 1 - start;
        return null;
    }

    /// <summary>The index after the class opened at <paramref name="start"/> ('['), or -1 when it is not closed (.NET: a ']' first is literal; <c>-[...]</c> subtracts a nested class).</summary>
    private static int SkipClass(string pattern, int start)
    {
        int i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        while (i < pattern.Length)
        {
            switch (pattern[i])
            {
                case '\\':
                    i += 2;
                    break;
                case '-' when i + 1 < pattern.Length && pattern[i + 1] == '[':
                    i = SkipClass(pattern, i + 1);
                    if (i < 0)
                    {
                        return -1;
                    }

                    break;
                case ']':
                    return i + 1;
                default:
                    i++;
                    break;
            }
        }

        return -1;
    }
}
