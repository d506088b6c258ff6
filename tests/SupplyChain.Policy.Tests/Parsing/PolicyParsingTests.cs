using SupplyChain.Core.Errors;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Parsing;

/// <summary>The policy file: YAML and JSON read to the same model, and every strictness rule fails with its code.</summary>
public class PolicyParsingTests
{
    [Fact]
    public void Yaml_and_json_forms_of_one_policy_give_the_same_model()
    {
        ImagePolicy yaml = ImagePolicy.Parse(PolicySamples.YamlWithKey());
        ImagePolicy json = ImagePolicy.Parse(PolicySamples.Json());

        Assert.Equal(Describe(yaml), Describe(json));
        PolicyRule apps = yaml.Rules[0];
        Assert.Equal("apps", apps.Name);
        Assert.Equal(["registry.example/apps/**"], apps.Images);
        Assert.Equal(2, apps.Threshold);
        Assert.Equal(["ci", "release-key"], apps.Authorities.Select(a => a.Name));
        Assert.Single(apps.Authorities[0].Policy.Identities);
        Assert.NotNull(apps.Authorities[1].Policy.PublicKey);
        Assert.StartsWith("key sha256:", apps.Authorities[1].Description, StringComparison.Ordinal);
        Assert.Equal("https://slsa.dev/provenance/v1", apps.Attestations[0].PredicateType);
        Assert.Equal(["ci"], apps.Attestations[0].Authorities.Select(a => a.Name));
        Assert.True(apps.Lineage!.Required);
        Assert.Equal(4, apps.Lineage.MaxDepth);
        Assert.True(apps.Lineage.TrustsScratch);
        Assert.Equal(PolicyAction.Deny, yaml.DefaultAction);
        Assert.Equal(PolicyMode.Enforce, yaml.Mode);
    }

    [Fact]
    public void The_keyless_regex_is_anchored_and_the_exact_subject_is_exact()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.YamlWithKey());
        var ci = policy.Rules[0].Authorities[0].Policy.Identities[0];
        var publisher = policy.Rules[1].Authorities[0].Policy.Identities[0];

        Assert.True(ci.SubjectAlternativeName.Matches("https://github.com/org/app/.github/workflows/release.yml@refs/heads/main"));
        Assert.False(ci.SubjectAlternativeName.Matches("https://github.com/org/app/.github/workflows/release.yml@refs/heads/main-evil"));
        Assert.False(ci.SubjectAlternativeName.Matches("xhttps://github.com/org/app/.github/workflows/release.yml@refs/heads/main"));
        Assert.True(ci.Issuer.Matches("https://token.actions.githubusercontent.com"));
        Assert.True(publisher.SubjectAlternativeName.Matches("publisher@example.com"));
        Assert.False(publisher.SubjectAlternativeName.Matches("Publisher@example.com"));
    }

    [Fact]
    public void Defaults_apply_when_optional_values_are_absent()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal("""
            rules:
              - name: r
                images: ["a.example/**"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
                lineage: { required: true }
            """));

        PolicyRule rule = policy.Rules[0];
        Assert.Equal(PolicyAction.Deny, policy.DefaultAction);
        Assert.Equal(PolicyMode.Enforce, policy.Mode);
        Assert.False(policy.DenyTags);
        Assert.Equal(1, rule.Threshold);
        Assert.Empty(rule.Attestations);
        Assert.Equal(16, rule.Lineage!.MaxDepth);
        Assert.Equal(["scratch"], rule.Lineage.TrustedRoots);
        Assert.False(rule.Lineage.AllowMissingClaim);
    }

    [Fact]
    public void Default_allow_is_read()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal("defaultAction: allow\n"));

        Assert.Equal(PolicyAction.Allow, policy.DefaultAction);
        Assert.Empty(policy.Rules);
    }

    [Fact]
    public void A_key_file_is_read_relative_to_the_policy_file()
    {
        string dir = Directory.CreateTempSubdirectory("policy").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "release.pub"), PolicySamples.PublicKeyPem);
            File.WriteAllText(Path.Combine(dir, "policy.yaml"), PolicySamples.Minimal("""
                rules:
                  - name: r
                    images: ["a.example/**"]
                    authorities: [{ name: k, key: { path: release.pub } }]
                """));

            ImagePolicy policy = ImagePolicy.Load(Path.Combine(dir, "policy.yaml"));

            Assert.NotNull(policy.Rules[0].Authorities[0].Policy.PublicKey);
            var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(File.ReadAllText(Path.Combine(dir, "policy.yaml"))));
            Assert.Equal("SC5007", ex.Code);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_missing_policy_file_is_unreadable()
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Load(Path.Combine(Path.GetTempPath(), "no-such-policy-" + Guid.NewGuid() + ".yaml")));

        Assert.Equal("SC5008", ex.Code);
    }

    [Theory]
    [InlineData("SC5002", "apiVersion: [unclosed")]
    [InlineData("SC5002", "{\"apiVersion\": \"supplychain.dev/v1alpha1\",}")]
    [InlineData("SC5002", "{\"apiVersion\": \"supplychain.dev/v1alpha1\", \"kind\": \"ImagePolicy\"} {}")]
    [InlineData("SC5002", "")]
    [InlineData("SC5002", "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\n---\napiVersion: supplychain.dev/v1alpha1\n")]
    [InlineData("SC5002", "apiVersion: &v supplychain.dev/v1alpha1\nkind: ImagePolicy\n")]
    [InlineData("SC5002", "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\nrules: &r []\nmode: *r\n")]
    [InlineData("SC5002", "apiVersion: !!str supplychain.dev/v1alpha1\nkind: ImagePolicy\n")]
    [InlineData("SC5002", "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\n? [a]\n: b\n")]
    [InlineData("SC5003", "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\nkind: ImagePolicy\n")]
    [InlineData("SC5003", "{\"apiVersion\": \"supplychain.dev/v1alpha1\", \"kind\": \"ImagePolicy\", \"kind\": \"ImagePolicy\"}")]
    [InlineData("SC5004", "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\ndefaultActoin: allow\n")]
    [InlineData("SC5004", "{\"apiVersion\": \"supplychain.dev/v1alpha1\", \"kind\": \"ImagePolicy\", \"extra\": 1}")]
    [InlineData("SC5005", "apiVersion: supplychain.dev/v1\nkind: ImagePolicy\n")]
    [InlineData("SC5005", "apiVersion: supplychain.dev/v1alpha1\nkind: ClusterImagePolicy\n")]
    [InlineData("SC5005", "kind: ImagePolicy\n")]
    [InlineData("SC5006", "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\ndefaultAction: maybe\n")]
    [InlineData("SC5006", "- a\n- b\n")]
    public void Malformed_policies_fail_with_their_codes(string code, string text)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(text));

        Assert.Equal(code, ex.Code);
    }

    [Theory]
    [InlineData("SC5004", "authorities: [{ name: k, keyless: { issuer: i, subject: s, audience: x } }]")]
    [InlineData("SC5004", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    lineage: { required: true, trustedroots: [scratch] }")]
    [InlineData("SC5006", "authorities: []")]
    [InlineData("SC5006", "authorities: [{ name: k }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i } }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s, subjectRegExp: s } }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subjectRegExp: \"(unclosed\" } }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s }, key: { pem: x } }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }, { name: k, keyless: { issuer: i, subject: t } }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    threshold: 2")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    threshold: \"1\"")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    threshold: 0")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    attestations: [{ predicateType: t, authorities: [nobody] }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    attestations: [{ authorities: [k] }]")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    lineage: { required: yes }")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    lineage: { maxDepth: 65 }")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    lineage: { trustedRoots: [\"sha256:abc\"] }")]
    [InlineData("SC5006", "authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n    lineage: { trustedRoots: [\"registry/(evil)\"] }")]
    [InlineData("SC5007", "authorities: [{ name: k, key: { pem: \"not a key\" } }]")]
    [InlineData("SC5007", "authorities: [{ name: k, key: { path: relative.pub } }]")]
    public void Malformed_rules_fail_with_their_codes(string code, string ruleBody)
    {
        string text = PolicySamples.Minimal("rules:\n  - name: r\n    images: [\"a.example/**\"]\n    " + ruleBody + "\n");

        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(text));

        Assert.Equal(code, ex.Code);
    }

    [Theory]
    [InlineData("rules:\n  - name: r\n    authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: []\n    authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a.example/[x]\"]\n    authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a.example/***\"]\n    authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n")]
    [InlineData("rules:\n  - images: [\"a.example/*\"]\n    authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a/*\"]\n    authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n  - name: r\n    images: [\"b/*\"]\n    authorities: [{ name: k, keyless: { issuer: i, subject: s } }]\n")]
    public void Malformed_rule_headers_fail_as_invalid_values(string rules)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(PolicySamples.Minimal(rules)));

        Assert.Equal("SC5006", ex.Code);
    }

    [Fact]
    public void Oversized_and_overnested_policies_are_refused()
    {
        string huge = PolicySamples.Minimal("mode: \"" + new string('x', 1024 * 1024) + "\"\n");
        string deep = PolicySamples.Minimal("mode: " + new string('[', 40) + new string(']', 40) + "\n");
        string deepJson = "{\"apiVersion\": \"supplychain.dev/v1alpha1\", \"kind\": \"ImagePolicy\", \"mode\": " + new string('[', 40) + new string(']', 40) + "}";

        Assert.Equal("SC5001", Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(huge)).Code);
        Assert.Equal("SC5001", Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(deep)).Code);
        Assert.Equal("SC5001", Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(deepJson)).Code);
    }

    private static string Describe(ImagePolicy policy) => string.Join('\n', policy.Rules.Select(r =>
        $"{r.Name}|{string.Join(',', r.Images)}|{r.Threshold}|{string.Join(',', r.Authorities.Select(a => a.ToString()))}|" +
        $"{string.Join(',', r.Attestations.Select(a => a.PredicateType + ":" + string.Join('+', a.Authorities.Select(x => x.Name)) + ":" + a.Threshold))}|" +
        $"{r.Lineage?.Required}:{string.Join(',', r.Lineage?.TrustedRoots ?? [])}:{r.Lineage?.MaxDepth}:{r.Lineage?.AllowMissingClaim}"))
        + $"\n{policy.DefaultAction}|{policy.Mode}";
}
