using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// Evaluates one platform of what the workload names, level by level, in the order docs/policy.md ("Trust before
/// network") gives: read the level's manifest and config; match its rule; verify its signatures and attestations; only
/// then read its claim, from the content its verified signature covers; check the claimed repository is covered by a
/// rule or a trusted root (else deny without a request); fetch the base; prove its layers. The walker drives the reads;
/// this class is its <see cref="LineageOptions.AdmitLevel"/> and <see cref="LineageOptions.CheckBase"/>.
/// </summary>
internal sealed class PlatformEvaluation : IBaseImageProvenanceSource
{
    private readonly ImagePolicy _policy;
    private readonly PolicyRule _rule;
    private readonly LineageRequirement? _lineage;
    private readonly string? _namespace;
    private readonly LevelEvidence _evidence;
    private readonly EvaluationProgress _progress;
    private readonly List<PolicyLevelVerdict> _levels = [];
    private readonly List<PolicyRule?> _rules = [];

    public PlatformEvaluation(ImagePolicy policy, PolicyRule rule, string? namespaceName, LevelEvidence evidence, EvaluationProgress progress)
    {
        _policy = policy;
        _rule = rule;
        _lineage = rule.Lineage is { Required: true } l ? l : null;
        _namespace = namespaceName;
        _evidence = evidence;
        _progress = progress;
    }

    /// <summary>
    /// The walker options of this evaluation (the rule's depth, trusted roots and claim sources, and the two gates). With
    /// <c>provenance</c> among the claim sources, the base candidates come from this evaluation's own verified evidence
    /// (<see cref="GetDependenciesAsync"/>), unless the caller gave another source.
    /// </summary>
    public LineageOptions Options(IBaseImageProvenanceSource? provenance) => new()
    {
        MaxDepth = _lineage?.MaxDepth ?? 1,
        IsTrustedRoot = _lineage is null ? null : _lineage.IsTrustedRoot,
        ProvenanceSource = _lineage?.ClaimSources.HasFlag(ClaimSources.Provenance) == true ? provenance ?? this : null,
        RequireProvenance = _lineage?.RequireProvenance == true,
        AdmitLevel = AdmitAsync,
        CheckBase = CheckBase,
    };

    /// <summary>The image dependencies of the level's provenance verified under the rule matching the level's own name (docs/policy.md, "Base images from provenance").</summary>
    public async Task<ProvenanceDependencies?> GetDependenciesAsync(LineageLevel level, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(level);
        return level.Depth < _rules.Count && _rules[level.Depth] is { } rule
            ? await _evidence.ProvenanceAsync(level, rule, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<PlatformVerdict> RunAsync(LineageWalker walker, ImageTop top, IndexEntry? entry, CancellationToken cancellationToken)
    {
        LineageTree tree = await walker.WalkAsync(top, entry, follow: _lineage is not null, cancellationToken).ConfigureAwait(false);
        if (tree.End == LineageEnd.Failed)
        {
            // No level read: the platform manifest itself (the workload's own registry). Else the claim or base of the last level.
            if (_levels.Count == 0)
            {
                return new PlatformVerdict(entry?.Platform, tree, _levels, tree.Error, tree.ErrorDetail);
            }

            (ErrorCode code, string message) = BelowTop(_levels[^1].Level, tree.Error!, tree.ErrorDetail);
            _levels[^1].Deny(code, message);
        }
        else if (_lineage is not null)
        {
            CheckEnd(tree, _lineage);
        }

        return new PlatformVerdict(entry?.Platform, tree, _levels, null, null);
    }

    private async Task<LevelAdmission> AdmitAsync(LineageLevel level, CancellationToken cancellationToken)
    {
        PolicyRule? rule = level.Depth == 0 ? _rule : _policy.Match(level.Name, _namespace);
        var verdict = new PolicyLevelVerdict(level, rule?.Name);
        _levels.Add(verdict);
        _rules.Add(rule);
        if (rule is null)
        {
            // Only a claim to a trusted root reaches an unruled level; anything else is denied, whatever the default action.
            if (_lineage?.IsTrustedRoot(level) == true)
            {
                verdict.Allow(PolicyDecision.TrustedRoot);
                return LevelAdmission.Allowed(ClaimSources.None);
            }

            verdict.Deny(PolicyErrors.AncestorUnruled.ToException($"{level.Reference} matches no rule and is not a trusted root"));
            return LevelAdmission.Denied;
        }

        try
        {
            bool indexSigned = await _evidence.CheckAsync(verdict, level, rule, cancellationToken).ConfigureAwait(false);
            verdict.Allow(PolicyDecision.Verified);

            // The manifest's annotations and its config (named by digest in the manifest) are covered by any verified
            // signature of the level; the index's annotations only when the index digest itself was signed.
            // The walk reads only the sources the policy's lineage names (claimSources).
            ClaimSources covered = ClaimSources.ManifestAnnotations | ClaimSources.ConfigLabels | ClaimSources.Provenance
                | (indexSigned ? ClaimSources.IndexAnnotations : ClaimSources.None);
            return LevelAdmission.Allowed(covered & (_lineage?.ClaimSources ?? LineageRequirement.DefaultClaimSources));
        }
        catch (SupplyChainException ex)
        {
            (ErrorCode code, string message) = level.Depth == 0 ? (ex.Error, ex.Message) : BelowTop(level, ex.Error, ex.Message);
            verdict.Deny(code, message);
            return LevelAdmission.Denied;
        }
    }

    /// <summary>Approves a claimed base before any request: a rule (in the namespace) or a trusted root must cover it.</summary>
    private SupplyChainException? CheckBase(LineageLevel level, BaseImageClaim claim, ImageReference baseReference)
    {
        string name = baseReference.Registry + "/" + baseReference.Repository;
        if (_policy.Match(name, _namespace) is null && _lineage?.NamesRoot(name, claim.Digest) != true)
        {
            return PolicyErrors.ClaimNotCovered.ToException($"{level.Reference} claims {name}@{claim.Digest}: no rule covers that repository and no trusted root names it; it was not requested");
        }

        _progress.EnterLineage();
        return null;
    }

    /// <summary>Where the walk ended, checked against the rule: every end must be one the policy accepts.</summary>
    private void CheckEnd(LineageTree tree, LineageRequirement lineage)
    {
        PolicyLevelVerdict last = _levels[^1];
        switch (tree.End)
        {
            case LineageEnd.NoClaim when !lineage.AllowMissingClaim:
                last.Deny(PolicyErrors.LineageClaimMissing.ToException($"{last.Level.Reference} names no base image its signature covers"));
                break;
            case LineageEnd.Scratch when !lineage.TrustsScratch:
                last.Deny(PolicyErrors.LineageRootUntrusted.ToException($"the lineage ends at scratch below {last.Level.Reference}, and scratch is not a trusted root"));
                break;
            case LineageEnd.Empty when last.Level.Depth > 0:
                last.Deny(PolicyErrors.EmptyBaseUntrusted.ToException($"{last.Level.Reference} has no layers and is not a trusted root"));
                break;
            case LineageEnd.Empty when !lineage.TrustsScratch:
                last.Deny(PolicyErrors.LineageRootUntrusted.ToException($"{last.Level.Reference} has no layers, and scratch is not a trusted root"));
                break;
        }
    }

    /// <summary>
    /// A failure below the image the workload names: a registry failure there (or a deadline) is a denial with its own
    /// code, never a registry error that <c>onRegistryError: allow</c> admits; its text carries the code and status class only.
    /// </summary>
    private static (ErrorCode Code, string Message) BelowTop(LineageLevel level, ErrorCode code, string? message) =>
        RegistryFailures.IsRegistryFailure(code)
            ? (PolicyErrors.LineageRegistryFailed, PolicyErrors.LineageRegistryFailed.ToException($"under {level.Name}@{level.Digest}: {RegistryFailures.Describe(code, message)}").Message)
            : (code, message ?? code.Summary);
}
