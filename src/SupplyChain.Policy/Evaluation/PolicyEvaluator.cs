using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// Evaluates images against an <see cref="ImagePolicy"/>: finds the rule of the image's name; when that rule asks
/// for the lineage, walks and proves it with <see cref="LineageWalker"/> (depth and trusted roots from the rule);
/// evaluates every level against the rule matching ITS OWN name (signers, threshold, attestations); and checks the
/// walk ended where the rule allows. Every failure denies with a code (fail closed). Thread-safe.
/// </summary>
public sealed class PolicyEvaluator
{
    private readonly ImagePolicy _policy;
    private readonly IOciRegistry _registry;
    private readonly ISignatureEvidenceSource _evidence;
    private readonly IBaseImageProvenanceSource? _provenance;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="registry">Reads images (the client checks digests).</param>
    /// <param name="evidence">Gives the verified signers and attestations of each level.</param>
    /// <param name="provenance">Optional: base-image claims from verified SLSA provenance.</param>
    public PolicyEvaluator(ImagePolicy policy, IOciRegistry registry, ISignatureEvidenceSource evidence, IBaseImageProvenanceSource? provenance = null)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _evidence = evidence ?? throw new ArgumentNullException(nameof(evidence));
        _provenance = provenance;
    }

    /// <summary>Evaluates <paramref name="image"/> (tag or digest; an index is resolved to <paramref name="platform"/>).</summary>
    /// <param name="image">The image.</param>
    /// <param name="platform">The platform, default <c>linux/amd64</c>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The verdict; errors are denials in it, never exceptions (cancellation excepted).</returns>
    public Task<PolicyVerdict> EvaluateAsync(ImageReference image, OciPlatform? platform = null, CancellationToken cancellationToken = default) =>
        EvaluateAsync(image, platform, null, cancellationToken);

    /// <summary>
    /// Evaluates <paramref name="image"/> for a workload in <paramref name="namespaceName"/>: the image and every
    /// ancestor are matched against the rules that apply in that namespace (<see cref="ImagePolicy.Match(string, string?)"/>).
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="platform">The platform, default <c>linux/amd64</c>.</param>
    /// <param name="namespaceName">The workload's namespace, or <c>null</c> (namespace-scoped rules then never apply).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The verdict; errors are denials in it, never exceptions (cancellation excepted).</returns>
    public async Task<PolicyVerdict> EvaluateAsync(ImageReference image, OciPlatform? platform, string? namespaceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        string name = image.Registry + "/" + image.Repository;
        PolicyRule? rule = _policy.Match(name, namespaceName);
        LineageRequirement? lineage = rule?.Lineage is { Required: true } l ? l : null;
        var walker = new LineageWalker(_registry, new LineageOptions
        {
            Platform = platform ?? LineageOptions.DefaultPlatform,
            MaxDepth = lineage?.MaxDepth ?? 1,
            IsTrustedRoot = lineage is null ? null : lineage.IsTrustedRoot,
            ProvenanceSource = _provenance,
        });
        LineageTree tree = lineage is null
            ? await walker.ResolveAsync(image, cancellationToken).ConfigureAwait(false)
            : await walker.WalkAsync(image, cancellationToken).ConfigureAwait(false);

        var levels = new List<PolicyLevelVerdict>(tree.Levels.Count);
        foreach (LineageLevel level in tree.Levels)
        {
            bool isRoot = level.Depth == tree.Levels.Count - 1
                && (tree.End == LineageEnd.TrustedRoot || (tree.End == LineageEnd.Scratch && lineage?.TrustsScratch == true));
            PolicyRule? levelRule = level.Depth == 0 ? rule : _policy.Match(level.Name, namespaceName);
            levels.Add(await EvaluateLevelAsync(level, levelRule, isRoot, cancellationToken).ConfigureAwait(false));
        }

        if (levels.Count > 0 && tree.End == LineageEnd.Failed)
        {
            // The walk failed on the claim of its last level (or a read of its base): that level carries the failure.
            levels[^1].Deny(tree.Error!, tree.ErrorDetail);
        }
        else if (levels.Count > 0 && lineage is not null)
        {
            CheckLineageEnd(tree, lineage, levels[^1]);
        }

        return new PolicyVerdict(image, tree, levels);
    }

    private async Task<PolicyLevelVerdict> EvaluateLevelAsync(LineageLevel level, PolicyRule? rule, bool isRoot, CancellationToken cancellationToken)
    {
        var verdict = new PolicyLevelVerdict(level, rule?.Name);
        if (rule is null)
        {
            if (isRoot)
            {
                verdict.Allow(PolicyDecision.TrustedRoot);
            }
            else if (_policy.DefaultAction == PolicyAction.Allow)
            {
                verdict.Allow(PolicyDecision.DefaultAllowed);
            }
            else
            {
                verdict.Deny(PolicyErrors.NoRuleMatched.ToException(level.Name));
            }

            return verdict;
        }

        try
        {
            var subject = new EvidenceSubject(level.Reference, level.IndexDigest);
            await CheckSignaturesAsync(verdict, subject, rule, cancellationToken).ConfigureAwait(false);
            await CheckAttestationsAsync(verdict, subject, rule, cancellationToken).ConfigureAwait(false);
            verdict.Allow(PolicyDecision.Verified);
        }
        catch (SupplyChainException ex)
        {
            // A registry or verification failure while gathering evidence denies with its own code.
            verdict.Deny(ex);
        }

        return verdict;
    }

    private async Task CheckSignaturesAsync(PolicyLevelVerdict verdict, EvidenceSubject subject, PolicyRule rule, CancellationToken cancellationToken)
    {
        SignatureEvidence evidence = await _evidence.GetSignaturesAsync(subject, rule.Authorities, cancellationToken).ConfigureAwait(false);
        verdict.Signers = evidence.Signers;
        int satisfied = CountAuthorities(evidence.Signers, rule.Authorities);
        if (satisfied >= rule.Threshold)
        {
            return;
        }

        throw evidence.SignaturesFound == 0
            ? PolicyErrors.ImageUnsigned.ToException($"{subject.Image} (rule {rule.Name})")
            : PolicyErrors.SignersInsufficient.ToException(
                $"{subject.Image}: {evidence.SignaturesFound} signature(s) found, {satisfied} of the {rule.Threshold} required authorities of rule {rule.Name} matched");
    }

    private async Task CheckAttestationsAsync(PolicyLevelVerdict verdict, EvidenceSubject subject, PolicyRule rule, CancellationToken cancellationToken)
    {
        var found = new List<VerifiedAttestation>();
        foreach (AttestationRequirement requirement in rule.Attestations)
        {
            IReadOnlyList<VerifiedAttestation> attestations = await _evidence
                .GetAttestationsAsync(subject, requirement.PredicateType, requirement.Authorities, cancellationToken).ConfigureAwait(false);
            var matching = attestations.Where(a => a.PredicateType == requirement.PredicateType).ToList();
            found.AddRange(matching);
            verdict.Attestations = found;
            int satisfied = CountAuthorities(matching, requirement.Authorities);
            if (satisfied < requirement.Threshold)
            {
                throw PolicyErrors.AttestationMissing.ToException(
                    $"{subject.Image}: {requirement.PredicateType} signed by {satisfied} of the {requirement.Threshold} required authorities of rule {rule.Name}");
            }
        }
    }

    /// <summary>Distinct authorities of <paramref name="authorities"/> that the verified signers satisfied (a signer naming another authority does not count).</summary>
    private static int CountAuthorities(IEnumerable<VerifiedSigner> signers, IReadOnlyList<PolicyAuthority> authorities) =>
        signers.Select(s => s.AuthorityName).Where(n => authorities.Any(a => a.Name == n)).Distinct(StringComparer.Ordinal).Count();

    private static void CheckLineageEnd(LineageTree tree, LineageRequirement lineage, PolicyLevelVerdict last)
    {
        if (tree.End == LineageEnd.NoClaim && !lineage.AllowMissingClaim)
        {
            last.Deny(PolicyErrors.LineageClaimMissing.ToException($"{last.Level.Reference} names no base image"));
        }
        else if (tree.End == LineageEnd.Scratch && !lineage.TrustsScratch)
        {
            last.Deny(PolicyErrors.LineageRootUntrusted.ToException($"the lineage ends at scratch below {last.Level.Reference}, and scratch is not a trusted root"));
        }
    }
}
