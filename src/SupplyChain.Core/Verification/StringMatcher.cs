using System.Text.RegularExpressions;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Matches an identity string exactly or by a regular expression that is always anchored at both ends
/// (<c>\A(?:pattern)\z</c>) and evaluated with a timeout and the non-backtracking engine. Unlike cosign's
/// unanchored <c>--certificate-identity-regexp</c>, a pattern here must match the whole value.
/// </summary>
public sealed class StringMatcher
{
    private readonly string? _exact;
    private readonly Regex? _regex;

    private StringMatcher(string? exact, Regex? regex, string description)
    {
        _exact = exact;
        _regex = regex;
        Description = description;
    }

    /// <summary>How the matcher describes itself in results and errors.</summary>
    public string Description { get; }

    /// <summary><see langword="true"/> for a regular-expression matcher.</summary>
    public bool IsRegex => _regex is not null;

    /// <summary>Matches <paramref name="value"/> exactly (ordinal).</summary>
    /// <param name="value">The expected value; must not be empty.</param>
    /// <exception cref="TrustRootException">SC1604 when the value is empty.</exception>
    public static StringMatcher Exact(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw CoreErrors.PolicyEmpty.ToException("an exact identity or issuer must not be empty");
        }

        return new StringMatcher(value, null, value);
    }

    /// <summary>Matches values the whole of which match <paramref name="pattern"/>.</summary>
    /// <param name="pattern">
    /// A .NET regular expression; it is anchored for you (<c>\A(?:pattern)\z</c>), so it must be one self-contained
    /// expression: balanced groups, no comments, no inline options but <c>i</c>, <c>m</c>, <c>s</c>, no conditionals,
    /// balancing groups or <c>\G</c> (SC1610, so that <c>x)|(.*</c> cannot undo the anchoring), and what the
    /// non-backtracking engine runs (SC1605).
    /// </param>
    /// <exception cref="TrustRootException">SC1610 when the pattern could escape its anchors; SC1605 when it is invalid; SC1604 when empty.</exception>
    public static StringMatcher Regex(string pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            throw CoreErrors.PolicyEmpty.ToException("an identity or issuer pattern must not be empty");
        }

        if (AnchoredPattern.Problem(pattern) is { } problem)
        {
            throw CoreErrors.PolicyRegexNotSelfContained.ToException($"'{Shorten(pattern)}': {problem}");
        }

        try
        {
            // The pattern must stand alone, and anchored it must keep exactly its own groups: a pattern that closed
            // the wrapper's group early would change both.
            var alone = new Regex(pattern, Options, Limits.RegexTimeout);
            var regex = new Regex($@"\A(?:{pattern})\z", Options, Limits.RegexTimeout);
            if (!alone.GetGroupNumbers().SequenceEqual(regex.GetGroupNumbers()) || !alone.GetGroupNames().SequenceEqual(regex.GetGroupNames(), StringComparer.Ordinal))
            {
                throw CoreErrors.PolicyRegexNotSelfContained.ToException($"'{Shorten(pattern)}': anchoring it changes its groups");
            }

            // Build the automaton now, while the policy is being loaded, not during the first verification.
            _ = regex.IsMatch(string.Empty);
            return new StringMatcher(null, regex, $"regex {pattern}");
        }
        catch (ArgumentException ex)
        {
            throw CoreErrors.PolicyInvalidRegex.ToException($"'{Shorten(pattern)}'", ex);
        }
        catch (NotSupportedException ex)
        {
            // Backreferences, lookarounds, atomic groups: the non-backtracking engine cannot run them.
            throw CoreErrors.PolicyInvalidRegex.ToException($"'{Shorten(pattern)}' uses a construct the non-backtracking engine does not support", ex);
        }
    }

    /// <summary>Tests <paramref name="value"/>.</summary>
    /// <param name="value">The value from the certificate, or <see langword="null"/> when absent (never matches).</param>
    /// <exception cref="VerificationFailedException">SC1606 when the regular expression times out (fail closed).</exception>
    public bool Matches(string? value)
    {
        if (value is null)
        {
            return false;
        }

        if (_exact is not null)
        {
            return string.Equals(_exact, value, StringComparison.Ordinal);
        }

        try
        {
            return _regex!.IsMatch(value);
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw CoreErrors.PolicyRegexTimeout.ToException(Description, ex);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    private static string Shorten(string pattern) => pattern.Length <= 128 ? pattern : pattern[..128] + "...";
}
