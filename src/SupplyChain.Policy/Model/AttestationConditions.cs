using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;

namespace SupplyChain.Policy.Model;

/// <summary>
/// What a required attestation must say (docs/policy.md, "Attestation conditions"): source repository and ref
/// patterns and builder id patterns, checked on the signer's Fulcio certificate extensions and on the verified SLSA
/// provenance (both, where both speak, and the two must agree: <see cref="AttestationChecker"/>); platform-hosted runners
/// only; or, for an SBOM type, a CycloneDX or SPDX document that passes its schema's required structure.
/// </summary>
public sealed class AttestationConditions
{
    internal AttestationConditions(IReadOnlyList<ValuePattern> sourceRepository, IReadOnlyList<ValuePattern> sourceRef, IReadOnlyList<ValuePattern> builderId, bool hostedRunners, bool sbom)
    {
        SourceRepository = sourceRepository;
        SourceRef = sourceRef;
        BuilderId = builderId;
        HostedRunners = hostedRunners;
        Sbom = sbom;
    }

    /// <summary>Patterns one of which the source repository (extension 1.3.6.1.4.1.57264.1.12, and the provenance's) must match; empty: not checked.</summary>
    public IReadOnlyList<ValuePattern> SourceRepository { get; }

    /// <summary>Patterns one of which the source ref (extension .14, and the provenance's) must match; empty: not checked.</summary>
    public IReadOnlyList<ValuePattern> SourceRef { get; }

    /// <summary>Patterns one of which the provenance's builder id must match; empty: not checked.</summary>
    public IReadOnlyList<ValuePattern> BuilderId { get; }

    /// <summary>Whether the runner must be platform-hosted (extension .11: <c>github-hosted</c>, <c>gitlab-hosted</c>, <c>buildkite-hosted</c>).</summary>
    public bool HostedRunners { get; }

    /// <summary>Whether the predicate must be a valid SBOM (CycloneDX 1.4-1.6 or SPDX 2.3, by its predicate type).</summary>
    public bool Sbom { get; }

    /// <summary>Why <paramref name="result"/> (a verified attestation) does not meet the conditions, or <see langword="null"/> when it does.</summary>
    /// <param name="result">The verified attestation; <see langword="null"/> for a key-signed one without a log entry (never meets conditions).</param>
    public string? Unmet(VerificationResult? result)
    {
        if (result?.Statement is not { } statement)
        {
            return "no verified statement to check (a key-signed attestation without a log entry)";
        }

        SlsaProvenance? provenance;
        try
        {
            // The certificate and the provenance agree (SC1628), and a hosted runner when asked (SC1627).
            provenance = AttestationChecker.Enforce(result, new AttestationRequirements { DenySelfHostedRunners = HostedRunners });
        }
        catch (SupplyChainException ex) when (ex is VerificationFailedException or MalformedInputException)
        {
            return ex.Message;
        }

        IReadOnlyDictionary<string, string> extensions = result.Signer.Extensions;
        if (Check(SourceRepository, extensions.GetValueOrDefault("sourceRepositoryURI"), provenance?.SourceRepository, "source repository") is { } repository)
        {
            return repository;
        }

        if (Check(SourceRef, extensions.GetValueOrDefault("sourceRepositoryRef"), provenance?.SourceRef, "source ref") is { } gitRef)
        {
            return gitRef;
        }

        if (BuilderId.Count > 0 && (provenance?.BuilderId is not { } builder || !BuilderId.Any(p => p.IsMatch(builder))))
        {
            return $"builder id {(provenance?.BuilderId is { } b ? $"'{b}'" : "absent (no SLSA provenance)")} matches none of {string.Join(", ", BuilderId)}";
        }

        if (Sbom)
        {
            if (SbomDocument.FormatOf(statement.PredicateType) is not { } format || statement.Predicate is not { } predicate)
            {
                return $"'{statement.PredicateType}' is not an SBOM";
            }

            try
            {
                _ = SbomDocument.Check(predicate, format);
            }
            catch (SupplyChainException ex)
            {
                return ex.Message;
            }
        }

        return null;
    }

    /// <summary>The certificate's value must match; the provenance's, when it states one, too.</summary>
    private static string? Check(IReadOnlyList<ValuePattern> patterns, string? certified, string? stated, string what)
    {
        if (patterns.Count == 0)
        {
            return null;
        }

        if (certified is null || !patterns.Any(p => p.IsMatch(certified)))
        {
            return $"the certificate's {what} {(certified is null ? "is absent" : $"'{certified}'")} matches none of {string.Join(", ", patterns)}";
        }

        return stated is not null && !patterns.Any(p => p.IsMatch(stated))
            ? $"the provenance's {what} '{stated}' matches none of {string.Join(", ", patterns)}"
            : null;
    }
}
