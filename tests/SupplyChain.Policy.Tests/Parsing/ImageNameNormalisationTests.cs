using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Parsing;

/// <summary>
/// Issue 13.7 / 21.1: a rule written with one spelling of a registry covers every spelling that reaches it; globs are
/// normalised as references are when the policy loads, and names that reach the matcher are in that spelling.
/// </summary>
public class ImageNameNormalisationTests
{
    private static ImagePolicy Policy(string glob) => ImagePolicy.Parse(PolicySamples.Minimal($$"""
        rules:
          - name: covered
            images: ["{{glob}}"]
            authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
        """));

    /// <summary>The rule applied to <paramref name="reference"/> as the evaluator sees it: the name of the parsed reference.</summary>
    private static void AssertCovered(ImagePolicy policy, string reference)
    {
        ImageReference parsed = ImageReference.Parse(reference);
        Assert.Equal("covered", policy.Match(parsed.Registry + "/" + parsed.Repository)?.Name);
    }

    [Theory]
    [InlineData("localhost:5000/apps/**", "LOCALHOST:5000/apps/x")]
    [InlineData("localhost:5000/apps/**", "LocalHost:5000/apps/team/x:v1")]
    [InlineData("LOCALHOST:5000/apps/**", "localhost:5000/apps/x")]
    [InlineData("registry.example/apps/**", "registry.example:443/apps/x")]
    [InlineData("registry.example/apps/**", "Registry.EXAMPLE:443/apps/x")]
    [InlineData("registry.example:443/apps/**", "registry.example/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "127.1:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "2130706433:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "0x7f.1:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "0177.0.0.1:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "[::ffff:127.0.0.1]:5000/apps/x")]
    [InlineData("127.1:5000/apps/**", "127.0.0.1:5000/apps/x")]
    [InlineData("0x7F000001:5000/apps/**", "127.0.0.1:5000/apps/x")]
    [InlineData("[::ffff:7f00:1]:5000/apps/**", "127.0.0.1:5000/apps/x")]
    [InlineData("[::1]:5000/apps/**", "[0:0::1]:5000/apps/x")]
    [InlineData("localhost/apps/**", "localhost:80/apps/x")]
    [InlineData("docker.io/library/*", "debian")]
    [InlineData("docker.io/library/*", "index.docker.io/library/debian")]
    [InlineData("docker.io/library/*", "registry-1.docker.io/library/debian:12")]
    [InlineData("index.docker.io/library/*", "docker.io/debian")]
    [InlineData("Docker.IO/debian", "debian")]
    [InlineData("docker.io/*", "debian")]
    [InlineData("*.example/apps/*", "REGISTRY.example:443/apps/web")]
    [InlineData("*.EXAMPLE/apps/*", "registry.example/apps/web")]
    [InlineData("Registry.Example/Apps/*", "registry.example/apps/web")]
    public void Every_spelling_of_the_registry_is_covered_by_the_rule(string glob, string reference) =>
        AssertCovered(Policy(glob), reference);

    [Theory]
    [InlineData("localhost:5000/apps/**", "localhost:5001/apps/x")]
    [InlineData("localhost:443/apps/**", "localhost/apps/x")]
    [InlineData("registry.example/apps/**", "registry.example:5000/apps/x")]
    [InlineData("registry.example/apps/**", "registry.example:80/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "127.0.0.2:5000/apps/x")]
    [InlineData("docker.io/*", "docker.io/bitnami/redis")]
    public void Other_registries_stay_uncovered(string glob, string reference)
    {
        ImageReference parsed = ImageReference.Parse(reference);
        Assert.Null(Policy(glob).Match(parsed.Registry + "/" + parsed.Repository));
    }

    [Theory]
    [InlineData("registry.example./apps/**")]
    [InlineData("localhost:05000/apps/**")]
    [InlineData("localhost:0/apps/**")]
    [InlineData("256.1.1.1:5000/apps/**")]
    [InlineData("1.2.3.4.5/apps/**")]
    [InlineData("[::1*]:5000/**")]
    public void A_glob_whose_registry_part_is_no_registry_is_SC5010(string glob)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => Policy(glob));
        Assert.Equal("SC5010", ex.Code);
        Assert.IsType<MalformedInputException>(ex);
    }

    [Fact]
    public void Brackets_outside_the_registry_part_are_no_glob_SC5006() =>
        Assert.Equal("SC5006", Assert.ThrowsAny<SupplyChainException>(() => Policy("registry.example/[apps]/**")).Code);

    [Theory]
    [InlineData("LOCALHOST:5000/apps/x")]
    [InlineData("localhost:5000/Apps/x")]
    [InlineData("127.1:5000/apps/x")]
    [InlineData("[::ffff:127.0.0.1]:5000/apps/x")]
    public void A_raw_name_given_to_Match_is_brought_to_the_same_spelling(string name)
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal("""
            rules:
              - name: covered
                images: ["localhost:5000/apps/**", "127.0.0.1:5000/apps/**"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
            """));
        Assert.Equal("covered", policy.Match(name)?.Name);
    }

    [Fact]
    public void Trusted_root_globs_are_normalised_too()
    {
        ImagePolicy policy = ImagePolicy.Parse(PolicySamples.Minimal("""
            rules:
              - name: app
                images: ["**"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
                lineage: { required: true, trustedRoots: ["Registry.Example:443/base/*"] }
            """));
        Assert.Equal(["Registry.Example:443/base/*"], policy.Rules[0].Lineage!.TrustedRoots);
        Assert.Equal("SC5010", Assert.ThrowsAny<SupplyChainException>(() => ImagePolicy.Parse(PolicySamples.Minimal("""
            rules:
              - name: app
                images: ["**"]
                authorities: [{ name: k, keyless: { issuer: "https://i", subject: "s" } }]
                lineage: { required: true, trustedRoots: ["registry.example.:443/base/*"] }
            """))).Code);
    }
}
