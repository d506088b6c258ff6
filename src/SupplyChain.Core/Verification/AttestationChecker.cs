using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Verification;

/// <summary>
/// Checks a verified attestation against <see cref="AttestationRequirements"/>: every requirement against the signing
/// certificate's Fulcio extensions (what the CI's OIDC token said, certified by Fulcio) and against the verified SLSA
/// provenance (what the build wrote); and, for a SLSA provenance signed by a CI certificate, that the two agree where both
/// speak (source repository, ref, commit, runner, and the builder id for build types whose builder is the signing
/// workflow). A provenance that names another repository than its certificate is a forgery or a copy: <c>SC1628</c>.
/// Runs after <see cref="SigstoreVerifier.Verify"/>: it reads only verified facts.
/// </summary>
public static class AttestationChecker
{
    // Fulcio docs/oid-info.md, "1.3.6.1.4.1.57264.1.11 | Runner Environment": "github-hosted" or "self-hosted" on
    // GitHub; GitLab and Buildkite use "gitlab-hosted" and "buildkite-hosted" for their own infrastructure.
    private static readonly string[] HostedRunners = ["github-hosted", "gitlab-hosted", "buildkite-hosted"];

    /// <summary>Enforces <paramref name="requirements"/> on <paramref name="result"/>.</summary>
    /// <param name="result">A successful verification of a DSSE bundle.</param>
    /// <param name="requirements">What the attestation must say.</param>
    /// <returns>The provenance read from the statement, or <see langword="null"/> when the statement is no SLSA provenance.</returns>
    /// <exception cref="VerificationFailedException">SC1620-SC1628 when a requirement or the agreement check fails; SC1634 when requirements beyond the predicate type meet a key-signed bundle.</exception>
    /// <exception cref="MalformedInputException">SC1630 when a SLSA provenance predicate is malformed.</exception>
    /// <exception cref="TrustRootException">SC1629 when a requirement is an empty string.</exception>
    public static SlsaProvenance? Enforce(VerificationResult result, AttestationRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(requirements);
        Validate(requirements);
        InTotoStatement statement = result.Statement ?? throw CoreErrors.AttestationStatementMissing.ToException("a message signature has no predicate");
        if (requirements.PredicateType is { } type && !string.Equals(type, statement.PredicateType, StringComparison.Ordinal))
        {
            throw CoreErrors.AttestationPredicateTypeMismatch.ToException($"'{statement.PredicateType}', required '{type}'");
        }

        // Every requirement beyond the predicate type reads the Fulcio certificate; a key-signed bundle has none.
        if (result.Signer.SubjectAlternativeName is null && requirements with { PredicateType = null } is { Any: true })
        {
            throw CoreErrors.AttestationNeedsCertificate.ToException("source and builder requirements need a Fulcio certificate");
        }

        IReadOnlyDictionary<string, string> extensions = result.Signer.Extensions;
        SlsaProvenance? provenance = SlsaProvenance.IsProvenance(statement.PredicateType) ? SlsaProvenance.Read(statement) : null;
        if (provenance is not null)
        {
            RequireAgreement(provenance, extensions);
        }

        if (requirements.SourceRepository is { } repository)
        {
            string expected = NormalizeUri(repository);
            RequireCertificate(extensions, "sourceRepositoryURI", v => string.Equals(NormalizeUri(v), expected, StringComparison.Ordinal), CoreErrors.AttestationSourceRepositoryMismatch, expected);
            RequireProvenance(provenance?.SourceRepository, v => string.Equals(NormalizeUri(v), expected, StringComparison.Ordinal), CoreErrors.AttestationSourceRepositoryMismatch, expected);
        }

        if (requirements.SourceRef is { } gitRef)
        {
            RequireCertificate(extensions, "sourceRepositoryRef", v => string.Equals(v, gitRef, StringComparison.Ordinal), CoreErrors.AttestationSourceRefMismatch, gitRef);
            RequireProvenance(provenance?.SourceRef, v => string.Equals(v, gitRef, StringComparison.Ordinal), CoreErrors.AttestationSourceRefMismatch, gitRef);
        }

        if (requirements.SourceDigest is { } digest)
        {
            string hex = StripDigestPrefix(digest);
            RequireCertificate(extensions, "sourceRepositoryDigest", v => string.Equals(v, hex, StringComparison.OrdinalIgnoreCase), CoreErrors.AttestationSourceDigestMismatch, hex);
            RequireProvenance(provenance?.SourceDigest, v => string.Equals(v, hex, StringComparison.OrdinalIgnoreCase), CoreErrors.AttestationSourceDigestMismatch, hex);
        }

        if (requirements.SignerWorkflow is { } workflow)
        {
            string expected = NormalizeUri(workflow);
            string? signer = extensions.TryGetValue("buildSignerURI", out string? uri) ? uri : result.Signer.SubjectAlternativeName;
            if (signer is null || !WorkflowMatches(signer, expected))
            {
                throw CoreErrors.AttestationSignerWorkflowMismatch.ToException($"the certificate's signer is {Describe(signer)}, required {expected}");
            }
        }

        if (requirements.BuilderId is { } builderId)
        {
            if (provenance is null)
            {
                throw CoreErrors.AttestationBuilderIdMismatch.ToException($"the statement is '{statement.PredicateType}', not a SLSA provenance with a builder id");
            }

            if (!WorkflowMatches(provenance.BuilderId!, builderId))
            {
                throw CoreErrors.AttestationBuilderIdMismatch.ToException($"the provenance's builder is {provenance.BuilderId}, required {builderId}");
            }
        }

        if (requirements.DenySelfHostedRunners)
        {
            string? runner = extensions.TryGetValue("runnerEnvironment", out string? r) ? r : null;
            if (runner is null || !HostedRunners.Contains(runner, StringComparer.Ordinal))
            {
                throw CoreErrors.AttestationSelfHostedRunner.ToException($"the certificate's runner environment is {Describe(runner)}");
            }

            if (provenance?.RunnerEnvironment is { } stated && !HostedRunners.Contains(stated, StringComparer.Ordinal))
            {
                throw CoreErrors.AttestationSelfHostedRunner.ToException($"the provenance's runner environment is '{stated}'");
            }
        }

        return provenance;
    }

    /// <summary>
    /// Where the certificate (Fulcio CI extensions) and the provenance both state a fact, they must agree. A key-signed
    /// bundle or a certificate without CI extensions has nothing to compare.
    /// </summary>
    private static void RequireAgreement(SlsaProvenance provenance, IReadOnlyDictionary<string, string> extensions)
    {
        Agree(extensions, "sourceRepositoryURI", provenance.SourceRepository, (a, b) => NormalizeUri(a) == NormalizeUri(b), "source repository");
        Agree(extensions, "sourceRepositoryRef", provenance.SourceRef, (a, b) => a == b, "source ref");
        Agree(extensions, "sourceRepositoryDigest", provenance.SourceDigest, (a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase), "source digest");
        Agree(extensions, "runnerEnvironment", provenance.RunnerEnvironment, (a, b) => a == b, "runner environment");
        if (provenance.BuilderIdIsSigner)
        {
            Agree(extensions, "buildSignerURI", provenance.BuilderId, (a, b) => a == b, "builder (the signing workflow)");
        }
    }

    private static void Agree(IReadOnlyDictionary<string, string> extensions, string extension, string? stated, Func<string, string, bool> equal, string what)
    {
        if (stated is not null && extensions.TryGetValue(extension, out string? certified) && !equal(certified, stated))
        {
            throw CoreErrors.AttestationCertificateMismatch.ToException($"{what}: the certificate says '{certified}', the provenance '{stated}'");
        }
    }

    private static void RequireCertificate(IReadOnlyDictionary<string, string> extensions, string extension, Func<string, bool> matches, ErrorCode code, string expected)
    {
        string? value = extensions.TryGetValue(extension, out string? v) ? v : null;
        if (value is null || !matches(value))
        {
            throw code.ToException($"the certificate's {extension} is {Describe(value)}, required '{expected}'");
        }
    }

    private static void RequireProvenance(string? stated, Func<string, bool> matches, ErrorCode code, string expected)
    {
        // A statement that is no provenance (an SBOM) is checked on the certificate alone; a provenance that states the
        // fact must state the required value.
        if (stated is not null && !matches(stated))
        {
            throw code.ToException($"the provenance says '{stated}', required '{expected}'");
        }
    }

    /// <summary>Exact, or (when <paramref name="expected"/> has no <c>@ref</c>) equal up to the <c>@</c> that starts the ref.</summary>
    private static bool WorkflowMatches(string actual, string expected)
    {
        string a = NormalizeUri(actual);
        string e = NormalizeUri(expected);
        if (string.Equals(a, e, StringComparison.Ordinal))
        {
            return true;
        }

        int at = a.LastIndexOf('@');
        return !HasRef(e) && at > 0 && string.Equals(a[..at], e, StringComparison.Ordinal);
    }

    private static bool HasRef(string uri)
    {
        int path = uri.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? uri.IndexOf('/', scheme + 3) : 0;
        return path >= 0 && uri.LastIndexOf('@') > path;
    }

    /// <summary>Adds <c>https://</c> to a value without a scheme (slsa-verifier's <c>github.com/org/repo</c>) and drops a trailing slash.</summary>
    internal static string NormalizeUri(string value)
    {
        string v = value.Contains("://", StringComparison.Ordinal) ? value : "https://" + value;
        return v.TrimEnd('/');
    }

    private static string StripDigestPrefix(string digest) =>
        digest.StartsWith("sha1:", StringComparison.OrdinalIgnoreCase) ? digest[5..]
        : digest.StartsWith("gitCommit:", StringComparison.Ordinal) ? digest[10..]
        : digest;

    private static string Describe(string? value) => value is null ? "absent" : $"'{value}'";

    private static void Validate(AttestationRequirements r)
    {
        foreach ((string? value, string name) in new[] { (r.PredicateType, "predicate type"), (r.SourceRepository, "source repository"), (r.SourceRef, "source ref"), (r.SourceDigest, "source digest"), (r.SignerWorkflow, "signer workflow"), (r.BuilderId, "builder id") })
        {
            if (value is not null && value.Trim().Length == 0)
            {
                throw CoreErrors.AttestationRequirementsInvalid.ToException($"the {name} is empty");
            }
        }
    }
}
