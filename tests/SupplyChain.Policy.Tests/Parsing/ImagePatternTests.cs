using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Parsing;

/// <summary>Glob semantics: * within a segment, ** across segments, anchored; and rule precedence (first match in file order).</summary>
public class ImagePatternTests
{
    [Theory]
    [InlineData("registry.example/apps/*", "registry.example/apps/web", true)]
    [InlineData("registry.example/apps/*", "registry.example/apps/team/web", false)]
    [InlineData("registry.example/apps/*", "registry.example/apps/", true)]
    [InlineData("registry.example/apps/*", "registry.example/apps", false)]
    [InlineData("registry.example/apps/**", "registry.example/apps/team/web", true)]
    [InlineData("registry.example/apps/**", "registry.example/apps", false)]
    [InlineData("registry.example/**", "registry.example/a/b/c", true)]
    [InlineData("registry.example/apps/web", "registry.example/apps/web", true)]
    [InlineData("registry.example/apps/web", "registry.example/apps/web2", false)]
    [InlineData("registry.example/apps/web", "evil.example/registry.example/apps/web", false)]
    [InlineData("registry.example/apps/web", "registry-example/apps/web", false)]
    [InlineData("*.example/apps/web", "registry.example/apps/web", true)]
    [InlineData("*.example/apps/web", "a/b.example/apps/web", false)]
    [InlineData("localhost:5000/**", "localhost:5000/x", true)]
    [InlineData("docker.io/library/*", "docker.io/library/debian", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("registry.example/*/web", "registry.example/team/web", true)]
    [InlineData("registry.example/*/web", "registry.example/a/b/web", false)]
    [InlineData("registry.example/**/web", "registry.example/a/b/web", true)]
    public void Globs_match_whole_names(string glob, string name, bool expected) =>
        Assert.Equal(expected, ImagePattern.Parse(glob, "test").Matches(name));

    [Fact]
    public void The_first_matching_rule_in_file_order_applies()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal("""
            rules:
              - name: special
                images: ["registry.example/apps/special"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "special" } }]
              - name: apps
                images: ["registry.example/apps/*", "registry.example/more/**"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "apps" } }]
              - name: everything
                images: ["**"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "all" } }]
            """));

        Assert.Equal("special", policy.Match("registry.example/apps/special")!.Name);
        Assert.Equal("apps", policy.Match("registry.example/apps/web")!.Name);
        Assert.Equal("apps", policy.Match("registry.example/more/a/b")!.Name);
        Assert.Equal("everything", policy.Match("other.example/x")!.Name);
    }

    [Fact]
    public void No_rule_matches_gives_null()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal("""
            rules:
              - name: apps
                images: ["registry.example/apps/*"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "apps" } }]
            """));

        Assert.Null(policy.Match("registry.example/other/web"));
    }
}
