using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// In-toto statements shaped like BuildKit's SLSA provenance (testdata/provenance-buildkit/README.md): v1 with
/// <c>buildDefinition.resolvedDependencies</c>, v0.2 with <c>materials</c>, each dependency a <c>uri</c> and a
/// <c>digest.sha256</c>, images written as BuildKit writes them (<c>pkg:docker/NAME@TAG?platform=os%2Farch</c>).
/// </summary>
public static class ProvenanceStatements
{
    /// <summary>The BuildKit v1 build type.</summary>
    public const string BuildKitV1BuildType = "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md";

    /// <summary>The BuildKit v0.2 build type.</summary>
    public const string BuildKitV02BuildType = "https://mobyproject.org/buildkit@v1";

    /// <summary>A dependency on <paramref name="image"/> as BuildKit writes it (its tag, or <c>latest</c>; its platform).</summary>
    public static (string Uri, string? Digest) Dependency(LineageImage image, string? platform = "linux/amd64") =>
        (BuildKitPurl(image.Reference, platform), image.Digest);

    /// <summary>BuildKit's purl for a reference: familiar name, tag (or <c>latest</c>) as version, platform qualifier; no digest qualifier.</summary>
    public static string BuildKitPurl(ImageReference reference, string? platform)
    {
        string purl = ImageDependencyUri.ToPurl(ImageReference.Parse(reference.Registry + "/" + reference.Repository + ":" + (reference.Tag ?? "latest")), null);
        return platform is null ? purl : purl + "?platform=" + Uri.EscapeDataString(platform);
    }

    /// <summary>A SLSA v1 statement about <paramref name="subjectDigest"/> with these resolved dependencies.</summary>
    public static JsonObject V1(string subjectDigest, params (string Uri, string? Digest)[] dependencies) => Statement(
        "https://in-toto.io/Statement/v1",
        SlsaProvenance.PredicateTypeV1,
        subjectDigest,
        new JsonObject
        {
            ["buildDefinition"] = new JsonObject
            {
                ["buildType"] = BuildKitV1BuildType,
                ["externalParameters"] = new JsonObject { ["configSource"] = new JsonObject { ["path"] = "Dockerfile" } },
                ["internalParameters"] = new JsonObject { ["builderPlatform"] = "linux/amd64" },
                ["resolvedDependencies"] = Dependencies(dependencies),
            },
            ["runDetails"] = new JsonObject { ["builder"] = new JsonObject { ["id"] = "" }, ["metadata"] = new JsonObject { ["invocationId"] = "test" } },
        });

    /// <summary>A SLSA v0.2 statement about <paramref name="subjectDigest"/> with these materials.</summary>
    public static JsonObject V02(string subjectDigest, params (string Uri, string? Digest)[] materials) => Statement(
        "https://in-toto.io/Statement/v0.1",
        SlsaProvenance.PredicateTypeV02,
        subjectDigest,
        new JsonObject
        {
            ["builder"] = new JsonObject { ["id"] = "" },
            ["buildType"] = BuildKitV02BuildType,
            ["materials"] = Dependencies(materials),
            ["invocation"] = new JsonObject { ["configSource"] = new JsonObject { ["entryPoint"] = "Dockerfile" } },
        });

    /// <summary>The statement parsed, as a verifier hands it over.</summary>
    public static InTotoStatement Parse(JsonObject statement) => InTotoStatement.Parse(Encoding.UTF8.GetBytes(statement.ToJsonString()));

    private static JsonObject Statement(string type, string predicateType, string subjectDigest, JsonObject predicate) => new()
    {
        ["_type"] = type,
        ["subject"] = new JsonArray(new JsonObject
        {
            ["name"] = "image",
            ["digest"] = new JsonObject { [subjectDigest.Split(':')[0]] = subjectDigest.Split(':')[1] },
        }),
        ["predicateType"] = predicateType,
        ["predicate"] = predicate,
    };

    private static JsonArray Dependencies((string Uri, string? Digest)[] dependencies) => new(dependencies.Select(d =>
    {
        var entry = new JsonObject { ["uri"] = d.Uri };
        if (d.Digest is not null)
        {
            entry["digest"] = new JsonObject { [d.Digest.Split(':')[0]] = d.Digest.Split(':')[1] };
        }

        return (JsonNode)entry;
    }).ToArray());
}
