using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>Namespace-scoped rules (docs/policy.md): the image AND every ancestor are matched against the rules that apply in the workload's namespace.</summary>
public class NamespaceScopeTests : HierarchyFixture
{
    private static readonly string Policy = PolicyText(extraRules: """
          - name: platform-prod
            images: ["registry.test/base", "registry.test/runtime"]
            namespaces: ["prod", "prod-*"]
            authorities:
              - name: prod-publisher
                keyless: { issuer: "https://prod.example", subject: "release@prod.example" }
        """);

    private Task<PolicyVerdict> EvaluateInAsync(string? namespaceName) =>
        new PolicyEvaluator(ImagePolicy.Parse(Policy), Registry, Evidence).EvaluateAsync(App.Reference, null, namespaceName, CancellationToken.None);

    [Fact]
    public async Task An_ancestor_is_held_to_the_rule_scoped_to_the_workloads_namespace()
    {
        PolicyVerdict prod = await EvaluateInAsync("prod-eu");

        AssertDenied(prod, "SC5103", 1);
        Assert.Equal("platform-prod", prod.Levels[1].RuleName);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData(null)]
    public async Task Outside_the_scoped_namespaces_the_next_matching_rule_applies(string? namespaceName)
    {
        PolicyVerdict verdict = await EvaluateInAsync(namespaceName);

        Assert.True(verdict.Allowed);
        Assert.All(verdict.Levels.Skip(1), l => Assert.Equal("platform", l.RuleName));
    }
}
