using SupplyChain.Core.Errors;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Parsing;

/// <summary>The keys the admission webhook reads (docs/policy.md): mode, denyTags, rule namespaces, mode and onRegistryError; and the fingerprint.</summary>
public class AdmissionKeysTests
{
    private const string Scoped = """
        mode: warn
        denyTags: true
        rules:
          - name: prod
            images: ["registry.example/**"]
            namespaces: ["prod", "prod-*"]
            mode: enforce
            onRegistryError: allow
            authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
          - name: rest
            images: ["registry.example/**"]
            authorities: [{ name: k, keyless: { issuer: "https://i", subject: "other" } }]
        """;

    [Fact]
    public void Namespace_scoped_rules_apply_only_in_their_namespaces()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal(Scoped));

        Assert.True(policy.HasNamespaceScopedRules);
        Assert.Equal("prod", policy.Match("registry.example/app", "prod")!.Name);
        Assert.Equal("prod", policy.Match("registry.example/app", "prod-eu")!.Name);
        Assert.Equal("rest", policy.Match("registry.example/app", "production")!.Name);
        Assert.Equal("rest", policy.Match("registry.example/app", "dev")!.Name);
        Assert.Equal("rest", policy.Match("registry.example/app")!.Name);
        Assert.Equal(["prod", "prod-*"], policy.Rules[0].Namespaces);
        Assert.Empty(policy.Rules[1].Namespaces);
        Assert.True(policy.Rules[1].AppliesToNamespace(null));
        Assert.False(policy.Rules[0].AppliesToNamespace(null));
    }

    [Fact]
    public void Mode_deny_tags_and_registry_error_behaviour_are_read_with_their_defaults()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal(Scoped));

        Assert.Equal(PolicyMode.Warn, policy.Mode);
        Assert.True(policy.DenyTags);
        Assert.Equal(PolicyMode.Enforce, policy.Rules[0].Mode);
        Assert.Null(policy.Rules[1].Mode);
        Assert.Equal(PolicyAction.Allow, policy.Rules[0].OnRegistryError);
        Assert.Equal(PolicyAction.Deny, policy.Rules[1].OnRegistryError);
    }

    [Theory]
    [InlineData("mode: block\n")]
    [InlineData("mode: Enforce\n")]
    [InlineData("denyTags: \"true\"\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a.example/**\"]\n    namespaces: [\"Prod\"]\n    authorities: [{ name: k, keyless: { issuer: \"https://i\", subject: \"s\" } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a.example/**\"]\n    namespaces: [\"a/b\"]\n    authorities: [{ name: k, keyless: { issuer: \"https://i\", subject: \"s\" } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a.example/**\"]\n    namespaces: [\"**\"]\n    authorities: [{ name: k, keyless: { issuer: \"https://i\", subject: \"s\" } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a.example/**\"]\n    onRegistryError: ignore\n    authorities: [{ name: k, keyless: { issuer: \"https://i\", subject: \"s\" } }]\n")]
    [InlineData("rules:\n  - name: r\n    images: [\"a.example/**\"]\n    mode: off\n    authorities: [{ name: k, keyless: { issuer: \"https://i\", subject: \"s\" } }]\n")]
    public void Invalid_admission_values_fail_SC5006(string body)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(PolicySamples.Minimal(body)));
        Assert.Equal("SC5006", ex.Code);
    }

    [Fact]
    public void The_fingerprint_changes_with_the_text_and_is_stable_for_the_same_text()
    {
        string text = PolicySamples.Minimal(Scoped);
        string a = ImagePolicy.Parse(text).Fingerprint;
        string b = ImagePolicy.Parse(text).Fingerprint;
        string c = ImagePolicy.Parse(text.Replace("mode: warn", "mode: audit", StringComparison.Ordinal)).Fingerprint;

        Assert.Matches("^sha256:[0-9a-f]{64}$", a);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void The_fingerprint_changes_when_a_key_file_changes_under_the_same_text()
    {
        string dir = Directory.CreateTempSubdirectory("policy-fp").FullName;
        try
        {
            string policyPath = Path.Combine(dir, "policy.yaml");
            File.WriteAllText(policyPath, PolicySamples.Minimal("rules:\n  - name: r\n    images: [\"a.example/**\"]\n    authorities: [{ name: k, key: { path: k.pub } }]\n"));
            File.WriteAllText(Path.Combine(dir, "k.pub"), PolicySamples.PublicKeyPem);
            string first = ImagePolicy.Load(policyPath).Fingerprint;
            File.WriteAllText(Path.Combine(dir, "k.pub"), PolicySamples.CreatePem());
            string second = ImagePolicy.Load(policyPath).Fingerprint;

            Assert.NotEqual(first, second);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
