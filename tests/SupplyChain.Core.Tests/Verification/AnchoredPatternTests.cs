using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Tests.Verification;

/// <summary>Issue 13.9: an identity pattern cannot undo the anchoring it is wrapped in (<c>\A(?:pattern)\z</c>).</summary>
public class AnchoredPatternTests
{
    [Theory]
    [InlineData("x)|(.*")]
    [InlineData("a)(?:b")]
    [InlineData("a)|(?:.*")]
    [InlineData(@"x)|(\w+")]
    [InlineData("[a])|(.*")]
    [InlineData("(a))|((.*)")]
    [InlineData(@"\(x)|(.*")]
    [InlineData("(?x)a#")]
    [InlineData("(?x:a)")]
    [InlineData("(?n)a")]
    [InlineData("(?#comment)a")]
    [InlineData("(a)(?(1)b|c)")]
    [InlineData("(?<a>x)(?<b-a>y)")]
    [InlineData(@"\Ga")]
    [InlineData("a\\")]
    [InlineData("[abc")]
    [InlineData("(?P<name>a)")]
    public void A_pattern_that_could_escape_its_anchors_is_SC1610(string pattern)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => StringMatcher.Regex(pattern));
        Assert.Equal("SC1610", ex.Code);
        Assert.IsType<TrustRootException>(ex);
    }

    [Theory]
    [InlineData("(unclosed")]
    [InlineData("a{2,1}")]
    [InlineData(@"(a)\1")]
    [InlineData("(?=a)a")]
    [InlineData("(?>a)")]
    public void A_pattern_the_engine_refuses_is_SC1605(string pattern) =>
        Assert.Equal("SC1605", Assert.ThrowsAny<SupplyChainException>(() => StringMatcher.Regex(pattern)).Code);

    [Theory]
    [InlineData("[)]", ")", true)]
    [InlineData("[)]", "x)", false)]
    [InlineData("a[(]b", "a(b", true)]
    [InlineData(@"\)", ")", true)]
    [InlineData(@"a\(b\)", "a(b)", true)]
    [InlineData("[]a]", "]", true)]
    [InlineData("[^]a]", "b", true)]
    [InlineData(@"[\])]+", "])", true)]
    [InlineData("[a-z-[aeiou]]+", "bcd", true)]
    [InlineData("[a-z-[aeiou]]+", "bad", false)]
    [InlineData("(a|b)", "b", true)]
    [InlineData("(?:a|b)c", "bc", true)]
    [InlineData("(?<org>[a-z]+)/repo", "acme/repo", true)]
    [InlineData("(?'org'[a-z]+)/repo", "acme/repo", true)]
    [InlineData("(?i)https://GitHub.com/acme/.*", "https://github.com/acme/x", true)]
    [InlineData("(?i:ACME)@example\\.com", "acme@example.com", true)]
    [InlineData("(?s)a.b", "a\nb", true)]
    [InlineData("(?-i)a", "a", true)]
    [InlineData("https://github\\.com/acme/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main", "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main", true)]
    [InlineData(@"\p{L}+", "abc", true)]
    [InlineData("a#b", "a#b", true)]
    public void Self_contained_patterns_are_accepted_and_anchored(string pattern, string value, bool expected)
    {
        StringMatcher matcher = StringMatcher.Regex(pattern);
        Assert.Equal(expected, matcher.Matches(value));
        Assert.False(matcher.Matches("prefix-" + value + "\n-suffix"));
    }

    [Fact]
    public void The_escape_of_the_issue_matches_nothing_it_should_not()
    {
        // Before the fix this pattern was accepted and matched every identity.
        Assert.Throws<TrustRootException>(() => StringMatcher.Regex("x)|(.*"));
        Assert.False(StringMatcher.Regex("x|.*@acme\\.example").Matches("attacker@evil.example"));
    }
}
