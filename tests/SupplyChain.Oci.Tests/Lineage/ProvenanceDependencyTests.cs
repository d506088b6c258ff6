using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>
/// Which dependencies of a SLSA provenance are images and where they are (issue 20, item 1): BuildKit's own examples
/// (testdata/provenance-buildkit), the purl spec's docker and oci forms, references with digests; unusable ones recorded
/// (SC4650), malformed lists refused (SC4651).
/// </summary>
public sealed class ProvenanceDependencyTests
{
    private const string Hex = "8914eb54f968791faf6a8638949e480fef81e697984fba772b3976835194c6d4";
    private const string Other = "a9b24b67dc83b3383d22a14941c2b2b2ca6a103d805cac6820fd1355943beaf1";

    private static ProvenanceDependencies ReadFixture(string file) =>
        ProvenanceDependencies.Read([InTotoStatement.Parse(File.ReadAllBytes(Path.Combine(TestPaths.TestData, "provenance-buildkit", file)))]);

    private static ProvenanceDependencies ReadOne(string uri, string? digest) =>
        ProvenanceDependencies.Read([ProvenanceStatements.Parse(ProvenanceStatements.V1("sha256:" + Hex, (uri, digest)))]);

    [Fact]
    public void BuildKits_v1_example_names_alpine_for_linux_amd64()
    {
        ProvenanceDependencies read = ReadFixture("v1-min-alpine.json");

        ImageDependency alpine = Assert.Single(read.Images);
        Assert.Equal("docker.io/library/alpine:latest@sha256:" + Hex, alpine.Reference.ToString());
        Assert.Equal(("linux", "amd64", (string?)null), (alpine.Os, alpine.Architecture, alpine.Variant));
        Assert.True(alpine.AppliesTo(new OciPlatform("linux", "amd64")));
        Assert.False(alpine.AppliesTo(new OciPlatform("linux", "arm64")));
        Assert.Empty(read.Unusable);
    }

    [Fact]
    public void A_git_context_beside_the_image_is_not_an_image()
    {
        ProvenanceDependencies read = ReadFixture("v1-git-context.json");

        Assert.Equal("docker.io/library/alpine:3.17@sha256:" + Hex, Assert.Single(read.Images).Reference.ToString());
        Assert.Empty(read.Unusable);
    }

    [Fact]
    public void BuildKits_v02_materials_name_the_frontend_for_every_platform_and_the_toolchain_for_its_own()
    {
        ProvenanceDependencies read = ReadFixture("v02-multistage-go.json");

        Assert.Equal(["docker.io/docker/dockerfile:1", "docker.io/library/golang:1.19.4-alpine"], read.Images.Select(i => i.Reference.Registry + "/" + i.Reference.Repository + ":" + i.Reference.Tag));
        Assert.True(read.Images[0].AppliesTo(new OciPlatform("linux", "amd64")));
        Assert.False(read.Images[1].AppliesTo(new OciPlatform("linux", "amd64")));
        Assert.True(read.Images[1].AppliesTo(new OciPlatform("linux", "arm64")));
    }

    [Theory]
    [InlineData("pkg:docker/ghcr.io/org/app@1.2?platform=linux%2Farm64%2Fv8", Hex, "ghcr.io/org/app:1.2@sha256:" + Hex)]
    [InlineData("pkg:docker/customer/dockerimage@sha256%3A" + Hex + "?repository_url=gcr.io", null, "gcr.io/customer/dockerimage@sha256:" + Hex)]
    [InlineData("pkg:docker/alpine@latest?digest=sha256%3A" + Hex, Hex, "docker.io/library/alpine:latest@sha256:" + Hex)]
    [InlineData("pkg:docker/localhost:5000/team/base@1", Hex, "localhost:5000/team/base:1@sha256:" + Hex)]
    [InlineData("pkg:oci/debian@sha256%3A" + Hex + "?repository_url=docker.io/library/debian&arch=amd64&tag=latest", null, "docker.io/library/debian:latest@sha256:" + Hex)]
    [InlineData("pkg:oci/app@sha256%3A" + Hex + "?repository_url=https://registry.example/team/app", Hex, "registry.example/team/app@sha256:" + Hex)]
    [InlineData("registry.example/base:1@sha256:" + Hex, null, "registry.example/base:1@sha256:" + Hex)]
    public void Purls_and_references_are_located(string uri, string? digestHex, string expected)
    {
        ProvenanceDependencies read = ReadOne(uri, digestHex is null ? null : "sha256:" + digestHex);

        Assert.Empty(read.Unusable);
        Assert.Equal(expected, Assert.Single(read.Images).Reference.ToString());
    }

    [Fact]
    public void Platform_qualifiers_are_read_with_their_variant_and_an_oci_arch()
    {
        ImageDependency arm = ReadOne("pkg:docker/ghcr.io/org/app@1.2?platform=linux%2Farm64%2Fv8", "sha256:" + Hex).Images[0];
        ImageDependency oci = ReadOne("pkg:oci/debian@sha256%3A" + Hex + "?repository_url=docker.io/library/debian&arch=arm64", null).Images[0];

        Assert.True(arm.AppliesTo(new OciPlatform("linux", "arm64", "v8")));
        Assert.False(arm.AppliesTo(new OciPlatform("linux", "arm64", "v7")));
        Assert.True(oci.AppliesTo(new OciPlatform("linux", "arm64")));
        Assert.False(oci.AppliesTo(new OciPlatform("linux", "amd64")));
    }

    [Theory]
    [InlineData("pkg:docker/alpine@3.17?platform=linux%2Famd64", null, "no digest")]
    [InlineData("pkg:docker/alpine@latest?digest=sha256%3A" + Other, Hex, "disagree")]
    [InlineData("pkg:docker/alpine@sha256%3A" + Other, Hex, "disagree")]
    [InlineData("registry.example/base@sha256:" + Other, Hex, "disagree")]
    [InlineData("pkg:oci/debian@sha256%3A" + Hex, null, "registry agnostic")]
    [InlineData("pkg:oci/debian@sha256%3A" + Hex + "?repository_url=docker.io/library/ubuntu", null, "last fragment")]
    [InlineData("pkg:oci/library/debian@sha256%3A" + Hex + "?repository_url=docker.io/library/debian", null, "no namespace")]
    [InlineData("pkg:docker/alpine@1?platform=linux", Hex, "os/arch")]
    [InlineData("pkg:docker/alpine@1?platform=linux%2Famd64&arch=arm64", Hex, "disagree")]
    [InlineData("pkg:docker/al%zzpine@1", Hex, "not a purl")]
    [InlineData("pkg:docker/Not..A/Repo@1", Hex, "not a repository")]
    [InlineData("pkg:docker/alpine@1?repository_url=https://evil.example/path", Hex, "not a registry")]
    [InlineData("pkg:docker/alpine@sha256%3Ashort", null, "not a sha256")]
    public void Image_dependencies_that_cannot_be_located_are_recorded_and_never_candidates(string uri, string? digestHex, string reason)
    {
        ProvenanceDependencies read = ReadOne(uri, digestHex is null ? null : "sha256:" + digestHex);

        Assert.Empty(read.Images);
        Assert.Contains(reason, Assert.Single(read.Unusable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_digest_map_that_is_not_lowercase_hex_makes_the_image_unusable()
    {
        JsonObject statement = ProvenanceStatements.V1("sha256:" + Hex, ("pkg:docker/alpine@1", null));
        statement["predicate"]!["buildDefinition"]!["resolvedDependencies"]![0]!["digest"] = new JsonObject { ["sha256"] = Hex.ToUpperInvariant() };

        ProvenanceDependencies read = ProvenanceDependencies.Read([ProvenanceStatements.Parse(statement)]);

        Assert.Contains("lowercase hex", Assert.Single(read.Unusable).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkg:npm/sigstore@2.2.0")]
    [InlineData("git+https://github.com/acme/app@refs/heads/main")]
    [InlineData("https://example.com/file.tar.gz")]
    [InlineData("Dockerfile")]
    [InlineData("registry.example/base:1")]
    public void Dependencies_that_are_not_images_are_ignored(string uri)
    {
        ProvenanceDependencies read = ReadOne(uri, "sha256:" + Hex);

        Assert.Empty(read.Images);
        Assert.Empty(read.Unusable);
    }

    [Theory]
    [InlineData("""{ "buildDefinition": { "buildType": "x", "resolvedDependencies": {} } }""")]
    [InlineData("""{ "buildDefinition": { "buildType": "x", "resolvedDependencies": [ "pkg:docker/alpine@1" ] } }""")]
    [InlineData("""{ "buildDefinition": { "buildType": "x", "resolvedDependencies": [ { "uri": 7 } ] } }""")]
    [InlineData("""{ "runDetails": {} }""")]
    [InlineData("""{ "buildDefinition": [] }""")]
    [InlineData("""{ "buildDefinition": null }""")]
    [InlineData("""{ "buildDefinition": { "resolvedDependencies": [ null ] } }""")]
    [InlineData("""{ "buildDefinition": { "resolvedDependencies": [ { "uri": ["pkg:docker/alpine@1"] } ] } }""")]
    public void A_malformed_dependency_list_is_refused(string predicate)
    {
        JsonObject statement = ProvenanceStatements.V1("sha256:" + Hex);
        statement["predicate"] = JsonNode.Parse(predicate);

        var ex = Assert.Throws<MalformedInputException>(() => ProvenanceDependencies.Read([ProvenanceStatements.Parse(statement)]));

        Assert.Equal("SC4651", ex.Code);
    }

    [Fact]
    public void A_v02_materials_list_that_is_not_an_array_of_objects_is_refused()
    {
        foreach (string predicate in new[] { """{ "materials": {} }""", """{ "materials": [ 1 ] }""", """{ "materials": [ { "uri": false } ] }""" })
        {
            JsonObject statement = ProvenanceStatements.V02("sha256:" + Hex);
            statement["predicate"] = JsonNode.Parse(predicate);
            Assert.Equal("SC4651", Assert.Throws<MalformedInputException>(() => ProvenanceDependencies.Read([ProvenanceStatements.Parse(statement)])).Code);
        }
    }

    [Fact]
    public void A_digest_that_is_not_an_object_makes_that_image_unusable_not_the_statement_malformed()
    {
        JsonObject statement = ProvenanceStatements.V1("sha256:" + Hex, ("pkg:docker/alpine@1", null));
        statement["predicate"]!["buildDefinition"]!["resolvedDependencies"]![0]!["digest"] = "sha256:" + Hex;

        ProvenanceDependencies read = ProvenanceDependencies.Read([ProvenanceStatements.Parse(statement)]);

        Assert.Contains("not an object", Assert.Single(read.Unusable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_4096_dependencies_are_refused()
    {
        var many = Enumerable.Range(0, 4097).Select(i => ($"pkg:npm/p{i}@1", (string?)null)).ToArray();

        var ex = Assert.Throws<MalformedInputException>(() => ProvenanceDependencies.Read([ProvenanceStatements.Parse(ProvenanceStatements.V02("sha256:" + Hex, many))]));

        Assert.Equal("SC4651", ex.Code);
    }

    [Fact]
    public void The_same_image_named_by_two_statements_is_one_candidate()
    {
        InTotoStatement v1 = ProvenanceStatements.Parse(ProvenanceStatements.V1("sha256:" + Hex, ("pkg:docker/alpine@3?platform=linux%2Famd64", "sha256:" + Other)));
        InTotoStatement v02 = ProvenanceStatements.Parse(ProvenanceStatements.V02("sha256:" + Hex, ("pkg:docker/alpine@3", "sha256:" + Other)));

        ProvenanceDependencies read = ProvenanceDependencies.Read([v1, v02]);

        Assert.Single(read.Images);
        Assert.Equal(2, read.Statements);
    }

    [Theory]
    [InlineData("docker.io/library/alpine:3.17@sha256:" + Hex, "linux/amd64", "pkg:docker/alpine@3.17?digest=sha256:" + Hex + "&platform=linux%2Famd64")]
    [InlineData("ghcr.io/org/app@sha256:" + Hex, null, "pkg:docker/ghcr.io/org/app?digest=sha256:" + Hex)]
    [InlineData("docker.io/team/tool:1@sha256:" + Hex, "linux/arm64/v8", "pkg:docker/team/tool@1?digest=sha256:" + Hex + "&platform=linux%2Farm64%2Fv8")]
    public void Purls_are_written_as_BuildKit_writes_them_and_read_back_to_the_same_image(string reference, string? platform, string expected)
    {
        ImageReference image = ImageReference.Parse(reference);

        string purl = ImageDependencyUri.ToPurl(image, platform is null ? null : PlatformOf(platform));
        ImageDependency read = Assert.Single(ReadOne(purl, "sha256:" + Hex).Images);

        Assert.Equal(expected, purl);
        Assert.Equal(image.Registry + "/" + image.Repository, read.Reference.Registry + "/" + read.Reference.Repository);
        Assert.Equal(image.Digest, read.Digest);
    }

    [Fact]
    public void Random_image_uris_are_located_or_recorded_never_thrown()
    {
        const string alphabet = "abc019./:@?&=%2F3Asha256-_ ";
        string[] prefixes = ["pkg:docker/", "pkg:oci/", "pkg:DOCKER/", "registry.example/x@sha256:", ""];
        var random = new Random(20);
        var uris = Enumerable.Range(0, 2000).Select(_ => (prefixes[random.Next(prefixes.Length)] + new string([.. Enumerable.Range(0, random.Next(1, 30)).Select(_ => alphabet[random.Next(alphabet.Length)])]), random.Next(2) == 0 ? null : (string?)("sha256:" + Hex))).ToArray();

        ProvenanceDependencies read = ProvenanceDependencies.Read([ProvenanceStatements.Parse(ProvenanceStatements.V02("sha256:" + Hex, uris))]);

        Assert.All(read.Images, i => Assert.Matches("^sha256:[0-9a-f]{64}$", i.Digest));
        Assert.True(read.Images.Count + read.Unusable.Count <= uris.Length);
    }

    private static OciPlatform PlatformOf(string text)
    {
        string[] parts = text.Split('/');
        return new OciPlatform(parts[0], parts[1], parts.Length > 2 ? parts[2] : null);
    }
}
