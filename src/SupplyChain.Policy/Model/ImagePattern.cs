namespace SupplyChain.Policy.Model;

/// <summary>
/// An image-name glob, matched against the whole name <c>registry/repository</c> (anchored at both ends):
/// <c>*</c> matches any characters within one path segment (never <c>/</c>), <c>**</c> any characters across
/// segments (including <c>/</c>, and nothing). Everything else is literal. Matched by a dynamic program over
/// pattern positions (time O(pattern x name), no regular expression, so no backtracking and no timeout).
/// </summary>
internal sealed class ImagePattern
{
    private enum Token
    {
        Literal,
        Star,
        DoubleStar,
    }

    private const string LayoutPrefix = "oci:";

    private readonly (Token Kind, char Char)[] _tokens;

    private ImagePattern(string text, (Token Kind, char Char)[] tokens)
    {
        Text = text;
        _tokens = tokens;
    }

    public string Text { get; }

    public static ImagePattern Parse(string pattern, string path)
    {
        if (pattern.Length == 0 || pattern.Length > Limits.MaxPatternLength || pattern.Contains("***", StringComparison.Ordinal)
            || pattern.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':' or '*' or '[' or ']')))
        {
            throw PolicyErrors.PolicyInvalidValue.ToException(
                $"{path}: '{(pattern.Length > 64 ? pattern[..64] + "..." : pattern)}' is not an image-name glob (letters, digits, . - _ / : [ ] and * or ** only)");
        }

        var tokens = new List<(Token, char)>();
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '*')
            {
                tokens.Add((Token.Literal, pattern[i]));
            }
            else if (i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                tokens.Add((Token.DoubleStar, '*'));
                i++;
            }
            else
            {
                tokens.Add((Token.Star, '*'));
            }
        }

        return new ImagePattern(pattern, [.. tokens]);
    }

    /// <summary>Whether <paramref name="imageName"/> (<c>registry/repository</c>) matches the whole pattern.</summary>
    public bool Matches(string imageName)
    {
        // Layout names (oci:/path) and registry names are apart: a registry glob such as **.example/** never covers a
        // layout whose path happens to contain ".example/", nor a layout glob a registry; only ** alone covers both.
        if (Text != "**" && Text.StartsWith(LayoutPrefix, StringComparison.Ordinal) != imageName.StartsWith(LayoutPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // reachable[j]: the first j tokens can match the name read so far.
        var reachable = new bool[_tokens.Length + 1];
        reachable[0] = true;
        CloseOverStars(reachable);
        foreach (char c in imageName)
        {
            var next = new bool[_tokens.Length + 1];
            for (int j = 0; j < _tokens.Length; j++)
            {
                if (!reachable[j])
                {
                    continue;
                }

                (Token kind, char literal) = _tokens[j];
                switch (kind)
                {
                    case Token.Literal when literal == c:
                        next[j + 1] = true;
                        break;
                    case Token.Star when c != '/':
                    case Token.DoubleStar:
                        next[j] = true;
                        break;
                }
            }

            CloseOverStars(next);
            reachable = next;
        }

        return reachable[_tokens.Length];
    }

    public override string ToString() => Text;

    /// <summary>A star may match nothing: whoever reaches a star also reaches the token after it.</summary>
    private void CloseOverStars(bool[] reachable)
    {
        for (int j = 0; j < _tokens.Length; j++)
        {
            if (reachable[j] && _tokens[j].Kind != Token.Literal)
            {
                reachable[j + 1] = true;
            }
        }
    }
}
