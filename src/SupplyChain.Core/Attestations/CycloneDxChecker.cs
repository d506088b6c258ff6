using System.Text.Json;
using System.Text.RegularExpressions;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Attestations;

/// <summary>
/// The required structure of CycloneDX JSON BOMs, spec versions 1.4, 1.5 and 1.6 (CycloneDX/specification
/// schema/bom-1.x.schema.json): root <c>bomFormat</c> "CycloneDX" and <c>specVersion</c> required (and <c>version</c> in
/// 1.4), root <c>additionalProperties: false</c>, components with <c>type</c> (the version's enumeration) and <c>name</c>,
/// hashes with the schema's algorithms and hex content, unique <c>bom-ref</c>s, and dependencies whose <c>ref</c> and
/// <c>dependsOn</c> name declared bom-refs (the spec: "ref: References a component or service by its bom-ref").
/// </summary>
internal sealed partial class CycloneDxChecker : SbomJson
{
    private static readonly string[] Versions = ["1.4", "1.5", "1.6"];

    private static readonly string[] RootV14 = ["$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata", "components", "services", "externalReferences", "dependencies", "compositions", "vulnerabilities", "signature"];
    private static readonly string[] RootV15 = [.. RootV14, "annotations", "formulation", "properties"];
    private static readonly string[] RootV16 = [.. RootV15, "declarations", "definitions"];

    private static readonly string[] TypesV14 = ["application", "framework", "library", "container", "operating-system", "device", "firmware", "file"];
    private static readonly string[] TypesV15 = [.. TypesV14, "platform", "device-driver", "machine-learning-model", "data"];
    private static readonly string[] TypesV16 = [.. TypesV15, "cryptographic-asset"];

    private static readonly string[] HashAlgorithms = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3"];

    private readonly HashSet<string> _bomRefs = new(StringComparer.Ordinal);
    private string[] _types = TypesV16;
    private int _components;

    protected override ErrorCode Invalid => CoreErrors.CycloneDxDocumentInvalid;

    public SbomDocument Check(JsonElement bom)
    {
        RequireObject(bom, "$");

        // "bomFormat": {"type": "string", "enum": ["CycloneDX"]}, required.
        if (RequiredString(bom, "bomFormat", "$") != "CycloneDX")
        {
            throw Fail("$.bomFormat", "must be \"CycloneDX\"");
        }

        string specVersion = RequiredString(bom, "specVersion", "$");
        if (!Versions.Contains(specVersion, StringComparer.Ordinal))
        {
            throw Fail("$.specVersion", $"'{Truncate(specVersion)}' is not 1.4, 1.5 or 1.6");
        }

        string[] root = specVersion switch { "1.4" => RootV14, "1.5" => RootV15, _ => RootV16 };
        _types = specVersion switch { "1.4" => TypesV14, "1.5" => TypesV15, _ => TypesV16 };
        foreach (JsonProperty property in bom.EnumerateObject())
        {
            if (!root.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Fail("$." + Truncate(property.Name), $"is not a CycloneDX {specVersion} BOM property (the root allows no additional properties)");
            }
        }

        // "version": {"type": "integer", "minimum": 1}; required in 1.4.
        if (bom.TryGetProperty("version", out JsonElement version))
        {
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt64(out long v) || v < 1)
            {
                throw Fail("$.version", "must be an integer of at least 1");
            }
        }
        else if (specVersion == "1.4")
        {
            throw Fail("$.version", "is required in CycloneDX 1.4");
        }

        if (OptionalString(bom, "serialNumber", "$") is { } serial && !SerialNumber().IsMatch(serial))
        {
            throw Fail("$.serialNumber", "must be a urn:uuid (RFC 4122)");
        }

        string? name = null;
        if (bom.TryGetProperty("metadata", out JsonElement metadata))
        {
            RequireObject(metadata, "$.metadata");
            RequireDateTime(OptionalString(metadata, "timestamp", "$.metadata"), "$.metadata.timestamp");
            if (metadata.TryGetProperty("component", out JsonElement component))
            {
                name = Component(component, "$.metadata.component");
            }
        }

        foreach ((JsonElement component, string path) in OptionalArray(bom, "components", "$"))
        {
            Component(component, path);
        }

        foreach ((JsonElement service, string path) in OptionalArray(bom, "services", "$"))
        {
            Service(service, path);
        }

        foreach ((JsonElement reference, string path) in OptionalArray(bom, "externalReferences", "$"))
        {
            ExternalReference(reference, path);
        }

        foreach ((JsonElement dependency, string path) in OptionalArray(bom, "dependencies", "$"))
        {
            Dependency(dependency, path);
        }

        return new SbomDocument(SbomFormat.CycloneDx, specVersion, name, _components);
    }

    // "component": required ["type", "name"]; "bom-ref" unique; "hashes", "externalReferences", nested "components".
    private string Component(JsonElement component, string path)
    {
        Count(path);
        RequireObject(component, path);
        _components++;
        string type = RequiredString(component, "type", path);
        RequireOneOf(type, _types, path + ".type");
        string name = RequiredString(component, "name", path);
        _ = OptionalString(component, "version", path);
        _ = OptionalString(component, "purl", path);
        BomRef(component, path);
        foreach ((JsonElement hash, string hashPath) in OptionalArray(component, "hashes", path))
        {
            Hash(hash, hashPath);
        }

        foreach ((JsonElement reference, string referencePath) in OptionalArray(component, "externalReferences", path))
        {
            ExternalReference(reference, referencePath);
        }

        foreach ((JsonElement nested, string nestedPath) in OptionalArray(component, "components", path))
        {
            Component(nested, nestedPath);
        }

        return name;
    }

    // "service": required ["name"].
    private void Service(JsonElement service, string path)
    {
        Count(path);
        RequireObject(service, path);
        _ = RequiredString(service, "name", path);
        BomRef(service, path);
        foreach ((JsonElement nested, string nestedPath) in OptionalArray(service, "services", path))
        {
            Service(nested, nestedPath);
        }
    }

    private void BomRef(JsonElement element, string path)
    {
        // "bom-ref": "An optional identifier ... Every bom-ref must be unique within the BOM."
        if (OptionalString(element, "bom-ref", path) is { } bomRef && !_bomRefs.Add(bomRef))
        {
            throw Fail(path + ".bom-ref", $"'{Truncate(bomRef)}' is not unique within the BOM");
        }
    }

    // "hash": required ["alg", "content"]; "hash-content" pattern ^([a-fA-F0-9]{32}|{40}|{64}|{96}|{128})$.
    private void Hash(JsonElement hash, string path)
    {
        RequireObject(hash, path);
        RequireOneOf(RequiredString(hash, "alg", path), HashAlgorithms, path + ".alg");
        if (!HashContent().IsMatch(RequiredString(hash, "content", path)))
        {
            throw Fail(path + ".content", "is not 32, 40, 64, 96 or 128 hex digits");
        }
    }

    // "externalReference": required ["url", "type"].
    private void ExternalReference(JsonElement reference, string path)
    {
        RequireObject(reference, path);
        _ = RequiredString(reference, "url", path);
        _ = RequiredString(reference, "type", path);
    }

    // "dependency": required ["ref"]; "dependsOn": array of refLinkType (bom-refs).
    private void Dependency(JsonElement dependency, string path)
    {
        Count(path);
        RequireObject(dependency, path);
        RequireDeclared(RequiredString(dependency, "ref", path), path + ".ref");
        foreach ((JsonElement target, string targetPath) in OptionalArray(dependency, "dependsOn", path))
        {
            if (target.ValueKind != JsonValueKind.String)
            {
                throw Fail(targetPath, "must be a string");
            }

            RequireDeclared(target.GetString()!, targetPath);
        }
    }

    private void RequireDeclared(string bomRef, string path)
    {
        if (!_bomRefs.Contains(bomRef))
        {
            throw Fail(path, $"'{Truncate(bomRef)}' is no bom-ref of a component or service in the BOM");
        }
    }

    [GeneratedRegex(@"\Aurn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SerialNumber();

    [GeneratedRegex(@"\A(?:[a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex HashContent();
}
