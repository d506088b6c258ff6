using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Serialization;

namespace SupplyChain.Core.Attestations;

/// <summary>The SBOM formats this library checks.</summary>
public enum SbomFormat
{
    /// <summary>CycloneDX JSON, spec versions 1.4 to 1.6.</summary>
    CycloneDx,

    /// <summary>SPDX JSON, spec version 2.3.</summary>
    Spdx,
}

/// <summary>
/// An SBOM document checked against the required structure of its JSON schema (CycloneDX 1.4-1.6
/// <c>bom-1.x.schema.json</c>, SPDX 2.3 <c>spdx-schema.json</c> and the spec's mandatory fields), so that what is signed
/// or admitted as an SBOM is one: the format marker and version, the mandatory fields and their types and enumerations,
/// identifiers and references that resolve. Not a full JSON-schema validator (no such library is in the registry
/// here): unknown fields are allowed where the schemas allow them, refused at a CycloneDX root (its
/// <c>additionalProperties: false</c>). Failures: <c>SC1631</c> (CycloneDX), <c>SC1632</c> (SPDX), <c>SC1633</c> (limits).
/// </summary>
public sealed class SbomDocument
{
    /// <summary>The CycloneDX predicate type (cosign <c>--type cyclonedx</c>, actions/attest-sbom).</summary>
    public const string CycloneDxPredicateType = "https://cyclonedx.org/bom";

    /// <summary>The SPDX predicate type (cosign <c>--type spdxjson</c>).</summary>
    public const string SpdxPredicateType = "https://spdx.dev/Document";

    /// <summary>The versioned SPDX 2.3 predicate type (actions/attest-sbom).</summary>
    public const string SpdxV23PredicateType = "https://spdx.dev/Document/v2.3";

    internal SbomDocument(SbomFormat format, string specVersion, string? name, int componentCount)
    {
        Format = format;
        SpecVersion = specVersion;
        Name = name;
        ComponentCount = componentCount;
    }

    /// <summary>The format.</summary>
    public SbomFormat Format { get; }

    /// <summary>The spec version (<c>1.6</c>, <c>SPDX-2.3</c>).</summary>
    public string SpecVersion { get; }

    /// <summary>The described software: the CycloneDX metadata component's name, or the SPDX document name.</summary>
    public string? Name { get; }

    /// <summary>Components (CycloneDX, nested ones included) or packages and files (SPDX) the document lists.</summary>
    public int ComponentCount { get; }

    /// <summary>The format whose predicate type is <paramref name="predicateType"/>, or <see langword="null"/>.</summary>
    /// <param name="predicateType">An in-toto predicate type.</param>
    public static SbomFormat? FormatOf(string? predicateType) => predicateType switch
    {
        CycloneDxPredicateType => SbomFormat.CycloneDx,
        SpdxPredicateType or SpdxV23PredicateType => SbomFormat.Spdx,
        _ => null,
    };

    /// <summary>Parses and checks a JSON SBOM.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="format">The format it must be.</param>
    /// <returns>The checked document.</returns>
    /// <exception cref="MalformedInputException">SC1631, SC1632 or SC1633.</exception>
    public static SbomDocument Parse(ReadOnlySpan<byte> utf8Json, SbomFormat format)
    {
        ErrorCode invalid = InvalidCode(format);
        if (utf8Json.Length > Limits.MaxSbomBytes)
        {
            throw CoreErrors.SbomDocumentTooLarge.ToException($"{utf8Json.Length} bytes; at most {Limits.MaxSbomBytes}");
        }

        if (JsonPreflight.Check(utf8Json, Limits.MaxSbomDepth, out string? detail) != JsonPreflightFailure.None)
        {
            throw invalid.ToException(detail);
        }

        try
        {
            // DOM on purpose: an SBOM is a document of arbitrary shape beyond the fields the format checkers read.
            using JsonDocument document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = Limits.MaxSbomDepth });
            return Check(document.RootElement, format);
        }
        catch (JsonException ex)
        {
            throw invalid.ToException("not JSON: " + ex.Message, ex);
        }
    }

    /// <summary>Checks an already parsed JSON SBOM (an in-toto predicate).</summary>
    /// <param name="document">The document's root.</param>
    /// <param name="format">The format it must be.</param>
    /// <returns>The checked document.</returns>
    /// <exception cref="MalformedInputException">SC1631, SC1632 or SC1633.</exception>
    public static SbomDocument Check(JsonElement document, SbomFormat format) => format switch
    {
        SbomFormat.CycloneDx => new CycloneDxChecker().Check(document),
        SbomFormat.Spdx => new SpdxChecker().Check(document),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static ErrorCode InvalidCode(SbomFormat format) => format == SbomFormat.CycloneDx ? CoreErrors.CycloneDxDocumentInvalid : CoreErrors.SpdxDocumentInvalid;
}
