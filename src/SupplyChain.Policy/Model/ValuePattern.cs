using System.Text;
using System.Text.RegularExpressions;

namespace SupplyChain.Policy.Model;

/// <summary>
/// A pattern for an attestation condition value: literal characters, <c>*</c> for any run of characters (slashes
/// included) and <c>?</c> for one; it must match the whole value (anchored, non-backtracking, with a timeout).
/// </summary>
public sealed class ValuePattern
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly Regex _regex;

    private ValuePattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Whether <paramref name="value"/> matches the whole pattern.</summary>
    /// <param name="value">The value.</param>
    public bool IsMatch(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return _regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false; // fail closed
        }
    }

    /// <summary>Compiles <paramref name="text"/>; SC5130 when empty or longer than the limit.</summary>
    internal static ValuePattern Parse(string text, string path)
    {
        if (text.Length == 0 || text.Length > Limits.MaxPatternLength)
        {
            throw PolicyErrors.AttestationConditionsInvalid.ToException($"{path}: a pattern is 1 to {Limits.MaxPatternLength} characters");
        }

        var regex = new StringBuilder(@"\A");
        foreach (char c in text)
        {
            regex.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        }

        regex.Append(@"\z");
        return new ValuePattern(text, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.Singleline, Timeout));
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
