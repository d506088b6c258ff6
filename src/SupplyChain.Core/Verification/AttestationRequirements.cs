namespace SupplyChain.Core.Verification;

/// <summary>
/// What a verified attestation must say about its source and builder, as <c>gh attestation verify</c>
/// (<c>--predicate-type</c>, <c>--repo</c>, <c>--source-ref</c>, <c>--source-digest</c>, <c>--signer-workflow</c>,
/// <c>--deny-self-hosted-runners</c>) and slsa-verifier (<c>--source-uri</c>, <c>--builder-id</c>) check it. Each value
/// is compared with the signing certificate's Fulcio extensions (OIDs 1.3.6.1.4.1.57264.1.9 onwards) and with the
/// verified SLSA provenance; <see cref="AttestationChecker"/> enforces them. Null values are not checked.
/// </summary>
public sealed record AttestationRequirements
{
    /// <summary>The predicate type URI the statement must carry.</summary>
    public string? PredicateType { get; init; }

    /// <summary>
    /// The source repository URI (<c>https://github.com/org/repo</c>; a value without a scheme gets <c>https://</c>):
    /// the certificate's Source Repository URI (1.3.6.1.4.1.57264.1.12) and the provenance's source must equal it.
    /// </summary>
    public string? SourceRepository { get; init; }

    /// <summary>The source ref (<c>refs/heads/main</c>, <c>refs/tags/v1.2.3</c>): extension 1.3.6.1.4.1.57264.1.14 and the provenance's ref.</summary>
    public string? SourceRef { get; init; }

    /// <summary>The source commit (hex, any case): extension 1.3.6.1.4.1.57264.1.13 and the provenance's <c>gitCommit</c>.</summary>
    public string? SourceDigest { get; init; }

    /// <summary>
    /// The workflow that signed, <c>[https://]host/org/repo/.github/workflows/release.yml</c> (any ref) or with
    /// <c>@ref</c> (that ref only): the Build Signer URI (1.3.6.1.4.1.57264.1.9).
    /// </summary>
    public string? SignerWorkflow { get; init; }

    /// <summary>The provenance's builder id (exact; without <c>@ref</c> any ref of it matches, as slsa-verifier's <c>--builder-id</c>).</summary>
    public string? BuilderId { get; init; }

    /// <summary>Require a platform-hosted runner: extension 1.3.6.1.4.1.57264.1.11 (and the provenance, when it says) is <c>github-hosted</c>, <c>gitlab-hosted</c> or <c>buildkite-hosted</c>.</summary>
    public bool DenySelfHostedRunners { get; init; }

    /// <summary>Whether any requirement is set.</summary>
    public bool Any => PredicateType is not null || SourceRepository is not null || SourceRef is not null || SourceDigest is not null
        || SignerWorkflow is not null || BuilderId is not null || DenySelfHostedRunners;
}
