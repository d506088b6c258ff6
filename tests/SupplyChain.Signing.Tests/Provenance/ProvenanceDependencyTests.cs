using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Provenance;

namespace SupplyChain.Signing.Tests.Provenance;

/// <summary><see cref="ProvenancePredicate.WithResolvedDependencies"/>: base images appended to <c>resolvedDependencies</c> as ResourceDescriptors, invalid ones refused (SC2130).</summary>
public sealed class ProvenanceDependencyTests
{
    private const string Hex = "8914eb54f968791faf6a8638949e480fef81e697984fba772b3976835194c6d4";

    private static ProvenancePredicate SelfDescribed(string? repository) => CiProvenance.SelfDescribed(new SelfDescribedBuilder
    {
        BuilderId = "https://builds.example/ci",
        SourceRepository = repository,
        SourceRef = repository is null ? null : "refs/heads/main",
    });

    [Fact]
    public void Base_images_follow_the_git_source_as_uri_and_digest_set()
    {
        ProvenancePredicate predicate = SelfDescribed("https://git.example/app")
            .WithResolvedDependencies([new ProvenanceDependency("pkg:docker/alpine@3.17?platform=linux%2Famd64", "sha256:" + Hex)]);

        JsonArray dependencies = (JsonArray)predicate.ToJsonObject()["buildDefinition"]!["resolvedDependencies"]!;

        Assert.Equal(2, dependencies.Count);
        Assert.Equal("git+https://git.example/app@refs/heads/main", dependencies[0]!["uri"]!.GetValue<string>());
        Assert.Equal("pkg:docker/alpine@3.17?platform=linux%2Famd64", dependencies[1]!["uri"]!.GetValue<string>());
        Assert.Equal(Hex, dependencies[1]!["digest"]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public void A_predicate_without_a_source_gets_the_list_and_the_original_is_unchanged()
    {
        ProvenancePredicate original = SelfDescribed(null);

        ProvenancePredicate extended = original.WithResolvedDependencies([new ProvenanceDependency("pkg:docker/alpine@3", "sha256:" + Hex)]);

        Assert.Single((JsonArray)extended.ToJsonObject()["buildDefinition"]!["resolvedDependencies"]!);
        Assert.Null(original.ToJsonObject()["buildDefinition"]!["resolvedDependencies"]);
        Assert.Equal(original.BuildType, extended.BuildType);
    }

    [Theory]
    [InlineData("pkg:docker/alpine@3", "sha256:" + "8914EB54F968791FAF6A8638949E480FEF81E697984FBA772B3976835194C6D4")]
    [InlineData("pkg:docker/alpine@3", "sha1:4b220de5058abfd01ff619c9d2ff6b09a049bea0")]
    [InlineData("pkg:docker/alpine@3", "sha256:abc")]
    [InlineData("", "sha256:" + Hex)]
    [InlineData("pkg:docker/alpine@3\n", "sha256:" + Hex)]
    public void Invalid_dependencies_are_refused(string uri, string digest)
    {
        var ex = Assert.Throws<MalformedInputException>(() => SelfDescribed(null).WithResolvedDependencies([new ProvenanceDependency(uri, digest)]));

        Assert.Equal("SC2130", ex.Code);
    }
}
