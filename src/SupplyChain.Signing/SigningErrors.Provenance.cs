using SupplyChain.Core.Errors;

namespace SupplyChain.Signing;

public static partial class SigningErrors
{
    // Provenance from the CI environment and statement subjects (SC2020-SC2039)

    /// <summary>SC2020: provenance was asked for outside a recognised CI and no self-described builder was given.</summary>
    public static readonly ErrorCode ProvenanceNoCi = new("SC2020", ErrorCategory.TrustRootOrConfiguration, "no recognised CI environment to build provenance from (and no --builder-id)");

    /// <summary>SC2021: the CI environment lacks a variable or OIDC claim its provenance mapping needs.</summary>
    public static readonly ErrorCode ProvenanceEnvironmentIncomplete = new("SC2021", ErrorCategory.TrustRootOrConfiguration, "the CI environment lacks a value the provenance needs");

    /// <summary>SC2022: GitHub Actions provenance needs the job's OIDC token (permissions: id-token: write) and none is available.</summary>
    public static readonly ErrorCode ProvenanceTokenUnavailable = new("SC2022", ErrorCategory.TrustRootOrConfiguration, "GitHub Actions provenance needs the job's OIDC token (permissions: id-token: write)");

    /// <summary>SC2023: the self-described builder is invalid (not an absolute URI, or given inside a recognised CI).</summary>
    public static readonly ErrorCode ProvenanceBuilderInvalid = new("SC2023", ErrorCategory.MalformedInput, "the self-described builder is invalid");

    /// <summary>SC2024: a CI value copied into the provenance is malformed (a control character, too long, a token that is no JWT).</summary>
    public static readonly ErrorCode ProvenanceValueMalformed = new("SC2024", ErrorCategory.MalformedInput, "a CI value for the provenance is malformed");

    /// <summary>SC2025: the checksums file is not in sha256sum format (HEX, two spaces or " *", a name), or is empty or too large.</summary>
    public static readonly ErrorCode ChecksumsFileMalformed = new("SC2025", ErrorCategory.MalformedInput, "the checksums file is not in sha256sum format");

    /// <summary>SC2026: the statement has no subject, too many, or two subjects with one name and different digests.</summary>
    public static readonly ErrorCode StatementSubjectsInvalid = new("SC2026", ErrorCategory.MalformedInput, "the statement subjects are invalid");

    /// <summary>SC2130: a resolved dependency added to the provenance is invalid: an empty uri, control characters, or a digest that is not <c>sha256:</c>/<c>sha512:</c> lowercase hex.</summary>
    public static readonly ErrorCode ProvenanceDependencyInvalid = new("SC2130", ErrorCategory.MalformedInput, "a resolved dependency of the provenance is invalid");
}
