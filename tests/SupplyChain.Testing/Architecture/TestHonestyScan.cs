using System.Text;
using System.Text.RegularExpressions;

namespace SupplyChain.Testing.Architecture;

/// <summary>
/// Reads the test sources (no compiler: comments and string literals are blanked, then braces are matched) and finds
/// tests that cannot fail: a <c>[Fact]</c>/<c>[Theory]</c> (or a <c>...Fact</c>/<c>...Theory</c> attribute) whose body
/// calls nothing that asserts, and assertions that hold whatever the code does (<c>Assert.True(true)</c>, a count
/// <c>&gt;= 0</c>, <c>Assert.Equal(x, x)</c>, <c>Assert.NotNull</c> of a count). A body asserts when it calls
/// <c>Assert*</c>/<c>Expect*</c>/<c>Verify*</c> (so a helper that asserts is named for it), a <c>...Assert</c> class
/// (ErrorAssert, BundleModelAssert), <c>Throws*</c> or <c>Should*</c>. tests/README.md states the rule.
/// </summary>
public static partial class TestHonestyScan
{
    /// <summary>A finding: file (relative to the scanned folder), line and what is wrong.</summary>
    /// <param name="File">The file, relative to the scanned folder.</param>
    /// <param name="Line">The 1-based line.</param>
    /// <param name="What">The test method or the vacuous assertion.</param>
    public sealed record Finding(string File, int Line, string What)
    {
        /// <inheritdoc/>
        public override string ToString() => $"{File}:{Line}: {What}";
    }

    /// <summary>Test methods under <paramref name="folder"/> (bin, obj and node_modules skipped) whose body asserts nothing.</summary>
    /// <param name="folder">The folder to scan (the repository's tests/).</param>
    public static IReadOnlyList<Finding> TestsWithoutAssertions(string folder) =>
        Scan(folder, (file, code) => FindTestsWithoutAssertions(code).Select(f => f with { File = file }));

    /// <summary>Assertions under <paramref name="folder"/> that cannot fail.</summary>
    /// <param name="folder">The folder to scan.</param>
    public static IReadOnlyList<Finding> VacuousAssertions(string folder) =>
        Scan(folder, (file, code) => FindVacuousAssertions(code).Select(f => f with { File = file }));

    /// <summary>
    /// Private copies of <see cref="ErrorAssert"/> under <paramref name="folder"/>: a helper returning the code (or the
    /// <see cref="Core.Errors.ErrorCode"/>) read off <c>Assert.Throws...</c>/<c>Assert.IsAssignableFrom</c>, for the
    /// caller to compare. Wrap <see cref="ErrorAssert.AssertCode(string, Action)"/> instead.
    /// </summary>
    /// <param name="folder">The folder to scan.</param>
    public static IReadOnlyList<Finding> AssertCodeCopies(string folder) =>
        Scan(folder, (file, code) => FindAssertCodeCopies(code).Select(f => f with { File = file }));

    /// <summary>The private AssertCode copies of one source text (file left empty).</summary>
    /// <param name="source">C# source.</param>
    public static IEnumerable<Finding> FindAssertCodeCopies(string source)
    {
        string code = Blank(source);
        foreach (Match m in CodeReturningHelper().Matches(code))
        {
            yield return new Finding(string.Empty, LineOf(code, m.Index), m.Groups["name"].Value + " returns a failure's code: use ErrorAssert.AssertCode");
        }
    }

    /// <summary>The test methods of one source text whose body asserts nothing (file left empty).</summary>
    /// <param name="source">C# source.</param>
    public static IEnumerable<Finding> FindTestsWithoutAssertions(string source)
    {
        string code = Blank(source);
        foreach (Match attribute in TestAttribute().Matches(code))
        {
            Match signature = MethodName().Match(code, attribute.Index + attribute.Length);
            if (!signature.Success)
            {
                continue;
            }

            string? body = Body(code, signature.Index + signature.Length);
            if (body is not null && !AssertionCall().IsMatch(body))
            {
                yield return new Finding(string.Empty, LineOf(code, signature.Index), signature.Groups["name"].Value + " asserts nothing");
            }
        }
    }

    /// <summary>The assertions of one source text that cannot fail (file left empty).</summary>
    /// <param name="source">C# source.</param>
    public static IEnumerable<Finding> FindVacuousAssertions(string source)
    {
        string code = Blank(source);
        foreach (Match m in VacuousAssertion().Matches(code))
        {
            yield return new Finding(string.Empty, LineOf(code, m.Index), m.Value);
        }
    }

    private static List<Finding> Scan(string folder, Func<string, string, IEnumerable<Finding>> find)
    {
        var findings = new List<Finding>();
        foreach (string path in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(folder, path);
            string[] parts = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            if (parts.Any(p => p is "bin" or "obj" or "node_modules"))
            {
                continue;
            }

            findings.AddRange(find(relative.Replace('\\', '/'), File.ReadAllText(path)));
        }

        return findings;
    }

    /// <summary>The text after a method's parameter list: its block, or its expression body up to the semicolon.</summary>
    private static string? Body(string code, int afterOpenParenthesis)
    {
        int i = Skip(code, afterOpenParenthesis, '(', ')');
        while (i < code.Length && code[i] != '{' && code[i] != ';' && !(code[i] == '=' && i + 1 < code.Length && code[i + 1] == '>'))
        {
            i++;
        }

        if (i >= code.Length || code[i] == ';')
        {
            return null;
        }

        if (code[i] == '{')
        {
            int end = Skip(code, i + 1, '{', '}');
            return code[i..end];
        }

        int depth = 0;
        int j = i + 2;
        for (; j < code.Length && !(code[j] == ';' && depth == 0); j++)
        {
            depth += code[j] switch { '(' or '{' or '[' => 1, ')' or '}' or ']' => -1, _ => 0 };
        }

        return code[i..j];
    }

    /// <summary>The index after the bracket that closes one already opened before <paramref name="start"/>.</summary>
    private static int Skip(string code, int start, char open, char close)
    {
        int depth = 1;
        int i = start;
        for (; i < code.Length && depth > 0; i++)
        {
            depth += code[i] == open ? 1 : code[i] == close ? -1 : 0;
        }

        return i;
    }

    private static int LineOf(string code, int index) => code.AsSpan(0, index).Count('\n') + 1;

    /// <summary>
    /// The source with comments and the contents of string and character literals replaced by spaces (line breaks
    /// kept), so braces, parentheses and names inside them are not read as code. Interpolation holes are blanked too.
    /// </summary>
    private static string Blank(string source)
    {
        var output = new StringBuilder(source.Length);
        int i = 0;
        while (i < source.Length)
        {
            int end = LiteralOrCommentEnd(source, i);
            if (end > i)
            {
                foreach (char c in source.AsSpan(i, end - i))
                {
                    output.Append(c == '\n' ? '\n' : ' ');
                }

                i = end;
                continue;
            }

            output.Append(source[i]);
            i++;
        }

        return output.ToString();
    }

    /// <summary>Where the comment or literal starting at <paramref name="i"/> ends, or <paramref name="i"/> when none starts there.</summary>
    private static int LiteralOrCommentEnd(string s, int i)
    {
        if (s.AsSpan(i).StartsWith("//"))
        {
            int newline = s.IndexOf('\n', i);
            return newline < 0 ? s.Length : newline;
        }

        if (s.AsSpan(i).StartsWith("/*"))
        {
            int close = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return close < 0 ? s.Length : close + 2;
        }

        if (s[i] == '\'' && i > 0 && !char.IsLetterOrDigit(s[i - 1]))
        {
            int j = i + 1;
            while (j < s.Length && s[j] != '\'' && s[j] != '\n')
            {
                j += s[j] == '\\' ? 2 : 1;
            }

            return Math.Min(j + 1, s.Length);
        }

        // A string literal: optional $ (any number) and @ prefixes, then one quote or a raw run of three or more.
        int k = i;
        while (k < s.Length && (s[k] == '$' || s[k] == '@'))
        {
            k++;
        }

        if (k >= s.Length || s[k] != '"' || (k > i && i > 0 && (char.IsLetterOrDigit(s[i - 1]) || s[i - 1] == '_')))
        {
            return i;
        }

        int quotes = 0;
        while (k + quotes < s.Length && s[k + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            string run = new('"', quotes);
            int close = s.IndexOf(run, k + quotes, StringComparison.Ordinal);
            return close < 0 ? s.Length : close + quotes;
        }

        bool verbatim = s.AsSpan(i, k - i).Contains('@');
        int p = k + 1;
        while (p < s.Length)
        {
            if (verbatim)
            {
                if (s[p] == '"')
                {
                    if (p + 1 < s.Length && s[p + 1] == '"')
                    {
                        p += 2;
                        continue;
                    }

                    break;
                }
            }
            else if (s[p] == '\\')
            {
                p += 2;
                continue;
            }
            else if (s[p] is '"' or '\n')
            {
                break;
            }

            p++;
        }

        return Math.Min(p + 1, s.Length);
    }

    // [Fact], [Theory], [NodeInteropFact], [SharedFixtureFact(...)], [Xunit.Fact]: any attribute named ...Fact or ...Theory.
    [GeneratedRegex(@"\[\s*(?:[\w.]*\.)?\w*(?:Fact|Theory)(?:Attribute)?\b", RegexOptions.None, 1000)]
    private static partial Regex TestAttribute();

    // The method declaration after the attributes: modifiers, return type, name, then its parameter list.
    [GeneratedRegex(@"\G[^;{}]*?\b(?:public|internal|private|protected)\b[^;{}=]*?\b(?<name>\w+)\s*(?:<[^<>()]*>)?\s*\(", RegexOptions.None, 1000)]
    private static partial Regex MethodName();

    [GeneratedRegex(@"\b(?:Assert\w*|Expect\w*|Verify\w*|\w+Assert)\s*(?:<[^()]*>)?\s*[.(]|\.Should\w*\(|\bThrows\w*\s*[<(]", RegexOptions.None, 1000)]
    private static partial Regex AssertionCall();

    // static string Code(...) => Assert.ThrowsAny<SupplyChainException>(...).Code; (or a block body whose first statement returns it).
    [GeneratedRegex(@"\bstatic\s+(?:async\s+)?(?:string|ErrorCode|Task<string>|Task<ErrorCode>)\s+(?<name>\w+)\s*\([^)]*\)\s*(?:=>|\{\s*return)\s*(?:\(?\s*await\s+)?Assert\.(?:Throws\w*|IsAssignableFrom)\b", RegexOptions.None, 1000)]
    private static partial Regex CodeReturningHelper();

    // Assert.True(true) / Assert.False(false); a count or length >= 0; Assert.Equal/Same of one expression with itself;
    // Assert.NotNull of a count, length or exit code (a value type is never null).
    [GeneratedRegex(
        @"Assert\.True\(\s*true\s*[,)]|Assert\.False\(\s*false\s*[,)]"
        + @"|(?:\.Count|\.Length|\.LongLength|\.Count\(\))\s*>=\s*0\b"
        + @"|Assert\.(?:Equal|Same)\(\s*(?<x>[\w.]+)\s*,\s*\k<x>\s*\)"
        + @"|Assert\.NotNull\([\w.]*\.(?:Count|Length|ExitCode)\)",
        RegexOptions.None,
        1000)]
    private static partial Regex VacuousAssertion();
}
