using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Tests.Attestations;

/// <summary>The SLSA provenance reader (source-generated DTOs over the predicate): the facts it reads, and SC1630 for a member of the wrong type.</summary>
public sealed class SlsaProvenanceReadTests
{
    private const string Commit = "0123456789ABCDEF0123456789ABCDEF01234567";

    private static SlsaProvenance Read(JsonNode predicate, string predicateType = SlsaProvenance.PredicateTypeV1)
    {
        var statement = new JsonObject
        {
            ["_type"] = InTotoStatement.StatementV1,
            ["subject"] = new JsonArray((JsonNode)new JsonObject { ["name"] = "a", ["digest"] = new JsonObject { ["sha256"] = new string('0', 64) } }),
            ["predicateType"] = predicateType,
            ["predicate"] = predicate,
        };
        return SlsaProvenance.Read(InTotoStatement.Parse(Encoding.UTF8.GetBytes(statement.ToJsonString())));
    }

    private static JsonObject V1() => new()
    {
        ["buildDefinition"] = new JsonObject
        {
            ["buildType"] = SlsaProvenance.GitHubActionsWorkflowBuildType,
            ["externalParameters"] = new JsonObject { ["workflow"] = new JsonObject { ["path"] = "x" } },
            ["internalParameters"] = new JsonObject { ["github"] = new JsonObject { ["runner_environment"] = "self-hosted", ["event_name"] = "push" }, ["other"] = 3 },
            ["resolvedDependencies"] = new JsonArray(
                (JsonNode)new JsonObject { ["uri"] = "pkg:npm/x@1", ["digest"] = new JsonObject { ["sha512"] = "aa" } },
                (JsonNode)new JsonObject { ["uri"] = "git+https://github.com/acme/app@refs/heads/main", ["digest"] = new JsonObject { ["sha1"] = Commit, ["other"] = "x" } }),
        },
        ["runDetails"] = new JsonObject
        {
            ["builder"] = new JsonObject { ["id"] = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main", ["version"] = new JsonObject() },
            ["metadata"] = new JsonObject { ["invocationId"] = "run-1", ["startedOn"] = "2026-01-01T00:00:00Z" },
        },
    };

    [Fact]
    public void A_v1_predicate_is_read()
    {
        SlsaProvenance provenance = Read(V1());
        Assert.Equal(SlsaProvenance.GitHubActionsWorkflowBuildType, provenance.BuildType);
        Assert.Equal("https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main", provenance.BuilderId);
        Assert.Equal("https://github.com/acme/app", provenance.SourceRepository);
        Assert.Equal("refs/heads/main", provenance.SourceRef);
        Assert.Equal(Commit.ToLowerInvariant(), provenance.SourceDigest);
        Assert.Equal("self-hosted", provenance.RunnerEnvironment);
        Assert.Equal("run-1", provenance.InvocationId);
    }

    [Fact]
    public void A_v02_predicate_is_read()
    {
        var predicate = new JsonObject
        {
            ["builder"] = new JsonObject { ["id"] = "https://builder.example" },
            ["buildType"] = "https://build.example/v1",
            ["invocation"] = new JsonObject { ["configSource"] = new JsonObject { ["uri"] = "git+https://github.com/acme/app@refs/tags/v1", ["digest"] = new JsonObject { ["gitCommit"] = Commit }, ["entryPoint"] = "x" } },
        };
        SlsaProvenance provenance = Read(predicate, SlsaProvenance.PredicateTypeV02);
        Assert.Equal("https://builder.example", provenance.BuilderId);
        Assert.Equal("refs/tags/v1", provenance.SourceRef);
        Assert.Equal(Commit.ToLowerInvariant(), provenance.SourceDigest);
    }

    public static TheoryData<string, string> WrongTypes() => new()
    {
        { "buildDefinition.buildType", "5" },
        { "buildDefinition.buildType", "\"\"" },
        { "buildDefinition.resolvedDependencies", "{}" },
        { "buildDefinition.resolvedDependencies", "[null]" },
        { "buildDefinition.resolvedDependencies", "[{\"uri\":7}]" },
        { "buildDefinition.resolvedDependencies", "[{\"uri\":\"git+https://h/r@x\",\"digest\":{\"gitCommit\":5}}]" },
        { "buildDefinition.internalParameters", "[]" },
        { "buildDefinition.internalParameters", "{\"github\":{\"runner_environment\":1}}" },
        { "runDetails.builder", "\"b\"" },
        { "runDetails.builder", "{\"id\":7}" },
        { "runDetails.metadata", "\"m\"" },
        { "runDetails.metadata", "{\"invocationId\":1}" },
        { "buildDefinition", "null" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void A_v1_member_of_the_wrong_type_is_SC1630(string path, string json)
    {
        JsonObject predicate = V1();
        string[] parts = path.Split('.');
        JsonObject parent = parts.Length == 1 ? predicate : predicate[parts[0]]!.AsObject();
        parent[parts[^1]] = JsonNode.Parse(json);
        Assert.Equal("SC1630", Assert.ThrowsAny<SupplyChainException>(() => Read(predicate)).Code);
    }

    [Theory]
    [InlineData("{\"builder\":{\"id\":\"b\"},\"buildType\":\"t\",\"invocation\":{\"configSource\":{\"uri\":1}}}")]
    [InlineData("{\"builder\":{\"id\":\"b\"},\"buildType\":\"t\",\"invocation\":[]}")]
    [InlineData("{\"builder\":{\"id\":\"b\"},\"buildType\":5}")]
    [InlineData("{\"builder\":\"b\",\"buildType\":\"t\"}")]
    public void A_v02_member_of_the_wrong_type_is_SC1630(string json) =>
        Assert.Equal("SC1630", Assert.ThrowsAny<SupplyChainException>(() => Read(JsonNode.Parse(json)!, SlsaProvenance.PredicateTypeV02)).Code);
}
