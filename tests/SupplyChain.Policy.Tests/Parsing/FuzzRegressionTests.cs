using SupplyChain.Core.Errors;
using SupplyChain.Policy.Model;
using SupplyChain.Testing;

namespace SupplyChain.Policy.Tests.Parsing;

/// <summary>Inputs the policy fuzz target found (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// Malformed YAML on which YamlDotNet's scanner or parser throws InvalidOperationException or ArgumentException
    /// instead of YamlException: the policy loader let them escape, so a bad policy file crashed signcli and made the
    /// webhook's policy reload fail without a code.
    /// </summary>
    [Theory]
    [InlineData("yamldotnet-plain-scalar-state.yaml")]
    [InlineData("yamldotnet-scanner-tokens-left.yaml")]
    [InlineData("yamldotnet-tag-not-a-uri.yaml")]
    public void YamlDotNet_failures_that_are_not_YamlException_are_SC5002(string name)
    {
        string text = File.ReadAllText(Path.Combine(TestPaths.TestData, "fuzz-regressions", "policy", name));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(text));
        Assert.Equal("SC5002", ex.Code);
    }

    /// <summary>
    /// A JSON policy whose name or string is an unpaired surrogate escape: Utf8JsonReader.GetString threw
    /// InvalidOperationException out of the policy loader (found by probing the policy target with the input class the
    /// image-config campaign found).
    /// </summary>
    [Theory]
    [InlineData("json-lone-surrogate-escape-name.json")]
    [InlineData("json-lone-surrogate-escape-value.json")]
    public void A_JSON_policy_string_that_does_not_decode_is_SC5002(string name)
    {
        string text = File.ReadAllText(Path.Combine(TestPaths.TestData, "fuzz-regressions", "policy", name));
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(text));
        Assert.Equal("SC5002", ex.Code);
    }
}
