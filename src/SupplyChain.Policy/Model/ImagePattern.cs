using System.Text;
using System.Text.RegularExpressions;

namespace SupplyChain.Policy.Model;

/// <summary>
/// An image-name glob, matched against the whole name <c>registry/repository</c> (anchored at both ends):
/// <c>*</c> matches any characters within one path segment (never <c>/</c>), <c>**</c> any characters across
/// segments (including <c>/</c>, and nothing). Everything else is literal. Compiled once to a non-backtracking
/// regular expression with a timeout.
/// </summary>
internal sealed class ImagePattern
{
    private readonly Regex _regex;

    private ImagePattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    public string Text { get; }

    public static ImagePattern Parse(string pattern, string path)
    {
        if (pattern.Length > Limits.MaxPatternLength || pattern.Contains("***", StringComparison.Ordinal)
            || pattern.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':' or '*')))
        {
            throw PolicyErrors.PolicyInvalidValue.ToException(
                $"{path}: '{(pattern.Length > 64 ? pattern[..64] + "..." : pattern)}' is not an image-name glob (letters, digits, . - _ / : and * or ** only)");
        }

        var regex = new StringBuilder(@"\A");
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '*')
            {
                regex.Append(Regex.Escape(pattern[i].ToString()));
            }
            else if (i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else
            {
                regex.Append("[^/]*");
            }
        }

        regex.Append(@"\z");
        return new ImagePattern(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, Limits.PatternTimeout));
    }

    /// <summary>Whether <paramref name="imageName"/> (<c>registry/repository</c>) matches; a timeout is a non-match (fail closed).</summary>
    public bool Matches(string imageName)
    {
        try
        {
            return _regex.IsMatch(imageName);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public override string ToString() => Text;
}
