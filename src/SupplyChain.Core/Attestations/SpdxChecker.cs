using System.Text.Json;
using System.Text.RegularExpressions;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Attestations;

/// <summary>
/// The required structure of SPDX 2.3 JSON documents (spdx/spdx-spec schemas/spdx-schema.json and the spec's
/// "Cardinality: 1..1" fields): <c>spdxVersion</c> "SPDX-2.3", <c>dataLicense</c> "CC0-1.0", <c>SPDXID</c>
/// "SPDXRef-DOCUMENT", <c>name</c>, <c>documentNamespace</c> (an absolute URI without "#"), <c>creationInfo</c> with
/// <c>created</c> and at least one creator; packages with <c>SPDXID</c>, <c>name</c> and <c>downloadLocation</c>; files with
/// <c>SPDXID</c>, <c>fileName</c> and <c>checksums</c>; unique SPDX identifiers; relationships of the schema's types between
/// declared elements (or NONE, NOASSERTION, or an external DocumentRef).
/// </summary>
internal sealed partial class SpdxChecker : SbomJson
{
    private static readonly string[] ChecksumAlgorithms = ["SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "MD2", "MD4", "MD5", "MD6", "SHA3-256", "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3", "ADLER32"];

    private static readonly string[] RelationshipTypes =
    [
        "DESCRIBES", "DESCRIBED_BY", "CONTAINS", "CONTAINED_BY", "DEPENDS_ON", "DEPENDENCY_OF", "DEPENDENCY_MANIFEST_OF",
        "BUILD_DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF", "TEST_DEPENDENCY_OF",
        "RUNTIME_DEPENDENCY_OF", "EXAMPLE_OF", "GENERATES", "GENERATED_FROM", "ANCESTOR_OF", "DESCENDANT_OF", "VARIANT_OF",
        "DISTRIBUTION_ARTIFACT", "PATCH_FOR", "PATCH_APPLIED", "COPY_OF", "FILE_ADDED", "FILE_DELETED", "FILE_MODIFIED",
        "EXPANDED_FROM_ARCHIVE", "DYNAMIC_LINK", "STATIC_LINK", "DATA_FILE_OF", "TEST_CASE_OF", "BUILD_TOOL_OF", "DEV_TOOL_OF",
        "TEST_OF", "TEST_TOOL_OF", "DOCUMENTATION_OF", "OPTIONAL_COMPONENT_OF", "METAFILE_OF", "PACKAGE_OF", "AMENDS",
        "PREREQUISITE_FOR", "HAS_PREREQUISITE", "REQUIREMENT_DESCRIPTION_FOR", "SPECIFICATION_FOR", "OTHER",
    ];

    private static readonly string[] CreatorPrefixes = ["Person: ", "Organization: ", "Tool: "];

    private readonly HashSet<string> _ids = new(StringComparer.Ordinal) { "SPDXRef-DOCUMENT" };

    protected override ErrorCode Invalid => CoreErrors.SpdxDocumentInvalid;

    public SbomDocument Check(JsonElement document)
    {
        RequireObject(document, "$");
        string version = RequiredString(document, "spdxVersion", "$");
        if (version != "SPDX-2.3")
        {
            throw Fail("$.spdxVersion", $"'{Truncate(version)}' is not SPDX-2.3");
        }

        // Spec 6.2: "Data license field ... shall be CC0-1.0"; 6.3: "SPDX identifier ... shall be SPDXRef-DOCUMENT".
        if (RequiredString(document, "dataLicense", "$") != "CC0-1.0")
        {
            throw Fail("$.dataLicense", "must be CC0-1.0");
        }

        if (RequiredString(document, "SPDXID", "$") != "SPDXRef-DOCUMENT")
        {
            throw Fail("$.SPDXID", "must be SPDXRef-DOCUMENT");
        }

        string name = RequiredString(document, "name", "$");

        // Spec 6.5: "SPDX document namespace ... Cardinality: 1..1"; "shall not contain a '#' delimiter".
        string ns = RequiredString(document, "documentNamespace", "$");
        if (!Uri.TryCreate(ns, UriKind.Absolute, out _) || ns.Contains('#', StringComparison.Ordinal))
        {
            throw Fail("$.documentNamespace", "must be an absolute URI without '#'");
        }

        if (!document.TryGetProperty("creationInfo", out JsonElement creation))
        {
            throw Fail("$.creationInfo", "is required");
        }

        CreationInfo(creation);
        int elements = 0;
        var elementPaths = new List<(JsonElement Element, string Path, string Kind)>();
        foreach ((JsonElement package, string path) in OptionalArray(document, "packages", "$"))
        {
            elementPaths.Add((package, path, "package"));
        }

        foreach ((JsonElement file, string path) in OptionalArray(document, "files", "$"))
        {
            elementPaths.Add((file, path, "file"));
        }

        foreach ((JsonElement snippet, string path) in OptionalArray(document, "snippets", "$"))
        {
            elementPaths.Add((snippet, path, "snippet"));
        }

        foreach ((JsonElement element, string path, string kind) in elementPaths)
        {
            Count(path);
            RequireObject(element, path);
            Declare(RequiredString(element, "SPDXID", path), path + ".SPDXID");
            if (kind == "package")
            {
                Package(element, path);
                elements++;
            }
            else if (kind == "file")
            {
                File(element, path);
                elements++;
            }
        }

        foreach ((JsonElement license, string path) in OptionalArray(document, "hasExtractedLicensingInfos", "$"))
        {
            RequireObject(license, path);
            _ = RequiredString(license, "licenseId", path);
        }

        if (document.TryGetProperty("documentDescribes", out JsonElement describes))
        {
            foreach ((JsonElement id, string path) in OptionalArray(document, "documentDescribes", "$"))
            {
                RequireReference(id.ValueKind == JsonValueKind.String ? id.GetString()! : throw Fail(path, "must be a string"), path);
            }

            _ = describes;
        }

        foreach ((JsonElement relationship, string path) in OptionalArray(document, "relationships", "$"))
        {
            Count(path);
            RequireObject(relationship, path);
            RequireReference(RequiredString(relationship, "spdxElementId", path), path + ".spdxElementId");
            RequireReference(RequiredString(relationship, "relatedSpdxElement", path), path + ".relatedSpdxElement");
            RequireOneOf(RequiredString(relationship, "relationshipType", path), RelationshipTypes, path + ".relationshipType");
        }

        return new SbomDocument(SbomFormat.Spdx, version, name, elements);
    }

    // creationInfo: required ["created", "creators"]; creators minItems 1, "Person: ", "Organization: " or "Tool: ".
    private void CreationInfo(JsonElement creation)
    {
        RequireObject(creation, "$.creationInfo");
        RequireDateTime(RequiredString(creation, "created", "$.creationInfo"), "$.creationInfo.created");
        List<(JsonElement Item, string Path)> creators = OptionalArray(creation, "creators", "$.creationInfo").ToList();
        if (creators.Count == 0)
        {
            throw Fail("$.creationInfo.creators", "needs at least one creator");
        }

        foreach ((JsonElement creator, string path) in creators)
        {
            if (creator.ValueKind != JsonValueKind.String || !CreatorPrefixes.Any(p => creator.GetString()!.StartsWith(p, StringComparison.Ordinal)))
            {
                throw Fail(path, "must be a string starting with 'Person: ', 'Organization: ' or 'Tool: '");
            }
        }
    }

    // package: required ["SPDXID", "name", "downloadLocation"].
    private void Package(JsonElement package, string path)
    {
        _ = RequiredString(package, "name", path);
        _ = RequiredString(package, "downloadLocation", path);
        if (package.TryGetProperty("filesAnalyzed", out JsonElement analyzed) && analyzed.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Fail(path + ".filesAnalyzed", "must be a boolean");
        }

        Checksums(package, path, required: false);
        foreach ((JsonElement reference, string referencePath) in OptionalArray(package, "externalRefs", path))
        {
            RequireObject(reference, referencePath);
            _ = RequiredString(reference, "referenceCategory", referencePath);
            _ = RequiredString(reference, "referenceLocator", referencePath);
            _ = RequiredString(reference, "referenceType", referencePath);
        }
    }

    // file: required ["SPDXID", "checksums", "fileName"]; the SHA1 checksum is mandatory (spec 8.4).
    private void File(JsonElement file, string path)
    {
        _ = RequiredString(file, "fileName", path);
        Checksums(file, path, required: true);
    }

    // checksum: required ["algorithm", "checksumValue"].
    private void Checksums(JsonElement element, string path, bool required)
    {
        List<(JsonElement Item, string Path)> checksums = OptionalArray(element, "checksums", path).ToList();
        if (required && checksums.Count == 0)
        {
            throw Fail(path + ".checksums", "is required");
        }

        foreach ((JsonElement checksum, string checksumPath) in checksums)
        {
            RequireObject(checksum, checksumPath);
            RequireOneOf(RequiredString(checksum, "algorithm", checksumPath), ChecksumAlgorithms, checksumPath + ".algorithm");
            if (!Hex().IsMatch(RequiredString(checksum, "checksumValue", checksumPath)))
            {
                throw Fail(checksumPath + ".checksumValue", "is not lowercase hex");
            }
        }
    }

    private void Declare(string id, string path)
    {
        // Spec 7.2: "SPDXRef-" followed by letters, numbers, "." and "-"; unique in the document.
        if (!SpdxId().IsMatch(id))
        {
            throw Fail(path, $"'{Truncate(id)}' is not SPDXRef-[A-Za-z0-9.-]+");
        }

        if (!_ids.Add(id))
        {
            throw Fail(path, $"'{Truncate(id)}' is declared twice");
        }
    }

    private void RequireReference(string id, string path)
    {
        if (id is "NONE" or "NOASSERTION" || _ids.Contains(id) || ExternalReference().IsMatch(id))
        {
            return;
        }

        throw Fail(path, $"'{Truncate(id)}' is no element of the document (nor NONE, NOASSERTION or DocumentRef-...:SPDXRef-...)");
    }

    [GeneratedRegex(@"\ASPDXRef-[A-Za-z0-9.\-]+\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SpdxId();

    [GeneratedRegex(@"\ADocumentRef-[A-Za-z0-9.\-]+:SPDXRef-[A-Za-z0-9.\-]+\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"\A[a-fA-F0-9]+\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Hex();
}
