using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Attestations;

/// <summary>CycloneDX 1.4-1.6 and SPDX 2.3 JSON documents are checked against their schemas' required structure.</summary>
public sealed class SbomDocumentTests
{
    private static JsonObject CycloneDx(string version = "1.6") => new()
    {
        ["bomFormat"] = "CycloneDX",
        ["specVersion"] = version,
        ["serialNumber"] = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        ["version"] = 1,
        ["metadata"] = new JsonObject
        {
            ["timestamp"] = "2026-01-01T00:00:00Z",
            ["component"] = new JsonObject { ["type"] = "application", ["name"] = "app", ["bom-ref"] = "app" },
        },
        ["components"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "library",
                ["name"] = "lib",
                ["version"] = "1.0",
                ["bom-ref"] = "pkg:nuget/lib@1.0",
                ["purl"] = "pkg:nuget/lib@1.0",
                ["hashes"] = new JsonArray(new JsonObject { ["alg"] = "SHA-256", ["content"] = new string('a', 64) }),
            }),
        ["dependencies"] = new JsonArray(new JsonObject { ["ref"] = "app", ["dependsOn"] = new JsonArray("pkg:nuget/lib@1.0") }),
    };

    private static JsonObject Spdx() => new()
    {
        ["spdxVersion"] = "SPDX-2.3",
        ["dataLicense"] = "CC0-1.0",
        ["SPDXID"] = "SPDXRef-DOCUMENT",
        ["name"] = "app",
        ["documentNamespace"] = "https://example.com/spdx/app-1",
        ["creationInfo"] = new JsonObject { ["created"] = "2026-01-01T00:00:00Z", ["creators"] = new JsonArray("Tool: test") },
        ["packages"] = new JsonArray(new JsonObject { ["SPDXID"] = "SPDXRef-Package-app", ["name"] = "app", ["downloadLocation"] = "NOASSERTION", ["filesAnalyzed"] = false }),
        ["files"] = new JsonArray(new JsonObject { ["SPDXID"] = "SPDXRef-File-a", ["fileName"] = "./a", ["checksums"] = new JsonArray(new JsonObject { ["algorithm"] = "SHA1", ["checksumValue"] = new string('b', 40) }) }),
        ["relationships"] = new JsonArray(
            new JsonObject { ["spdxElementId"] = "SPDXRef-DOCUMENT", ["relatedSpdxElement"] = "SPDXRef-Package-app", ["relationshipType"] = "DESCRIBES" },
            new JsonObject { ["spdxElementId"] = "SPDXRef-Package-app", ["relatedSpdxElement"] = "SPDXRef-File-a", ["relationshipType"] = "CONTAINS" }),
    };

    private static SbomDocument Parse(JsonObject document, SbomFormat format) => SbomDocument.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()), format);

    private static void AssertFails(string code, JsonObject document, SbomFormat format) => ErrorAssert.AssertCode(code, () => Parse(document, format));

    [Theory]
    [InlineData("1.4")]
    [InlineData("1.5")]
    [InlineData("1.6")]
    public void CycloneDx_1_4_to_1_6_documents_pass(string version)
    {
        SbomDocument sbom = Parse(CycloneDx(version), SbomFormat.CycloneDx);
        Assert.Equal(version, sbom.SpecVersion);
        Assert.Equal("app", sbom.Name);
        Assert.Equal(2, sbom.ComponentCount);
    }

    [Theory]
    [InlineData("bomFormat")]
    [InlineData("specVersion")]
    [InlineData("rootProperty")]
    [InlineData("componentName")]
    [InlineData("componentType")]
    [InlineData("duplicateRef")]
    [InlineData("danglingDependency")]
    [InlineData("hash")]
    [InlineData("serial")]
    [InlineData("version14")]
    [InlineData("platform14")]
    [InlineData("timestamp")]
    public void A_CycloneDx_document_that_breaks_its_schema_is_SC1631(string breakage)
    {
        JsonObject bom = CycloneDx();
        JsonObject component = bom["components"]![0]!.AsObject();
        switch (breakage)
        {
            case "bomFormat": bom["bomFormat"] = "SPDX"; break;
            case "specVersion": bom["specVersion"] = "1.3"; break;
            case "rootProperty": bom["extra"] = 1; break;
            case "componentName": component.Remove("name"); break;
            case "componentType": component["type"] = "widget"; break;
            case "duplicateRef": component["bom-ref"] = "app"; break;
            case "danglingDependency": bom["dependencies"]![0]!["dependsOn"] = new JsonArray("nowhere"); break;
            case "hash": component["hashes"]![0]!["content"] = "xyz"; break;
            case "serial": bom["serialNumber"] = "not-a-urn"; break;
            case "version14": bom["specVersion"] = "1.4"; bom.Remove("version"); break;
            case "platform14": bom["specVersion"] = "1.4"; component["type"] = "platform"; break;
            default: bom["metadata"]!["timestamp"] = "yesterday"; break;
        }

        AssertFails("SC1631", bom, SbomFormat.CycloneDx);
    }

    [Fact]
    public void An_SPDX_2_3_document_passes_and_an_SPDX_document_is_no_CycloneDX()
    {
        SbomDocument sbom = Parse(Spdx(), SbomFormat.Spdx);
        Assert.Equal("SPDX-2.3", sbom.SpecVersion);
        Assert.Equal(2, sbom.ComponentCount);
        AssertFails("SC1631", Spdx(), SbomFormat.CycloneDx);
        AssertFails("SC1632", CycloneDx(), SbomFormat.Spdx);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("license")]
    [InlineData("spdxId")]
    [InlineData("namespace")]
    [InlineData("creators")]
    [InlineData("creatorPrefix")]
    [InlineData("downloadLocation")]
    [InlineData("fileChecksums")]
    [InlineData("duplicateId")]
    [InlineData("danglingRelationship")]
    [InlineData("relationshipType")]
    public void An_SPDX_document_that_breaks_its_schema_is_SC1632(string breakage)
    {
        JsonObject doc = Spdx();
        switch (breakage)
        {
            case "version": doc["spdxVersion"] = "SPDX-2.2"; break;
            case "license": doc["dataLicense"] = "MIT"; break;
            case "spdxId": doc["SPDXID"] = "SPDXRef-X"; break;
            case "namespace": doc["documentNamespace"] = "https://example.com/a#b"; break;
            case "creators": doc["creationInfo"]!["creators"] = new JsonArray(); break;
            case "creatorPrefix": doc["creationInfo"]!["creators"] = new JsonArray("someone"); break;
            case "downloadLocation": doc["packages"]![0]!.AsObject().Remove("downloadLocation"); break;
            case "fileChecksums": doc["files"]![0]!.AsObject().Remove("checksums"); break;
            case "duplicateId": doc["files"]![0]!["SPDXID"] = "SPDXRef-Package-app"; break;
            case "danglingRelationship": doc["relationships"]![0]!["relatedSpdxElement"] = "SPDXRef-Nowhere"; break;
            default: doc["relationships"]![0]!["relationshipType"] = "LIKES"; break;
        }

        AssertFails("SC1632", doc, SbomFormat.Spdx);
    }

    [Fact]
    public void Not_json_or_too_deep_is_refused_with_a_code()
    {
        Assert.Equal("SC1631", Assert.ThrowsAny<SupplyChainException>(() => SbomDocument.Parse("{"u8, SbomFormat.CycloneDx)).Code);
        string deep = new string('[', 200) + new string(']', 200);
        Assert.Equal("SC1632", Assert.ThrowsAny<SupplyChainException>(() => SbomDocument.Parse(Encoding.UTF8.GetBytes(deep), SbomFormat.Spdx)).Code);
    }

    [Theory]
    [InlineData("https://cyclonedx.org/bom", SbomFormat.CycloneDx)]
    [InlineData("https://spdx.dev/Document", SbomFormat.Spdx)]
    [InlineData("https://spdx.dev/Document/v2.3", SbomFormat.Spdx)]
    [InlineData("https://slsa.dev/provenance/v1", null)]
    public void Predicate_types_map_to_formats(string predicateType, SbomFormat? format) => Assert.Equal(format, SbomDocument.FormatOf(predicateType));
}
