using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// Evaluates what a workload names against an <see cref="ImagePolicy"/> (docs/policy.md, "Evaluation"): finds the
/// rule of the image's name (none and <c>defaultAction: deny</c>: denied without a single request); reads the manifest
/// the reference names; for an index, evaluates every platform the workload can run, each on its own; per platform,
/// verifies each lineage level against the rule matching ITS OWN name before its base-image claim is read, and follows
/// a claim only to a repository a rule or trusted root covers. Every failure denies with a code (fail closed).
/// Thread-safe: each evaluation gathers its own evidence (each signature fetched and verified once per evaluation).
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
    /// <param name="evidence">Gives the signatures and attestations attached to each digest.</param>
    /// <param name="provenance">
    /// Optional: where base candidates from SLSA provenance come from, for rules whose lineage reads provenance
    /// (<c>claimSources</c>, <c>requireProvenance</c>). By default (<c>null</c>) the evaluator's own: the provenance attached
    /// to each level, verified under the rule matching that level (docs/policy.md, "Base images from provenance"); a
    /// replacement must verify as strictly.
    /// </param>
    public PolicyEvaluator(ImagePolicy policy, IOciRegistry registry, ISignatureEvidenceSource evidence, IBaseImageProvenanceSource? provenance = null)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _evidence = evidence ?? throw new ArgumentNullException(nameof(evidence));
        _provenance = provenance;
    }

    /// <summary>Evaluates <paramref name="image"/> (tag or digest) outside any namespace.</summary>
    /// <param name="image">The image.</param>
    /// <param name="platforms">For an index, the platforms the workload can run; <c>null</c> for every platform it lists.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The verdict; errors are denials in it, never exceptions (cancellation excepted).</returns>
    public Task<PolicyVerdict> EvaluateAsync(ImageReference image, PlatformSet? platforms = null, CancellationToken cancellationToken = default) =>
        EvaluateAsync(image, platforms, null, null, cancellationToken);

    /// <summary>Evaluates <paramref name="image"/> for a workload in <paramref name="namespaceName"/> (rules are matched in that namespace, <see cref="ImagePolicy.Match(string, string?)"/>).</summary>
    /// <param name="image">The image.</param>
    /// <param name="platforms">For an index, the platforms the workload can run; <c>null</c> for every platform it lists.</param>
    /// <param name="namespaceName">The workload's namespace, or <c>null</c> (namespace-scoped rules then never apply).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The verdict.</returns>
    public Task<PolicyVerdict> EvaluateAsync(ImageReference image, PlatformSet? platforms, string? namespaceName, CancellationToken cancellationToken) =>
        EvaluateAsync(image, platforms, namespaceName, null, cancellationToken);

    /// <summary>Evaluates <paramref name="image"/>, reporting into <paramref name="progress"/> how far it got (for a caller whose deadline may fire first).</summary>
    /// <param name="image">The image.</param>
    /// <param name="platforms">For an index, the platforms the workload can run; <c>null</c> for every platform it lists.</param>
    /// <param name="namespaceName">The workload's namespace, or <c>null</c>.</param>
    /// <param name="progress">Receives the evaluation's progress, or <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The verdict.</returns>
    public async Task<PolicyVerdict> EvaluateAsync(ImageReference image, PlatformSet? platforms, string? namespaceName, EvaluationProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        progress ??= new EvaluationProgress();
        progress.Start();
        string name = image.Registry + "/" + image.Repository;
        if (_policy.Match(name, namespaceName) is not { } rule)
        {
            // Nothing is requested for what no rule covers: not even the tag is resolved.
            return _policy.DefaultAction == PolicyAction.Allow
                ? PolicyVerdict.AllowedByDefault(image)
                : PolicyVerdict.Denied(image, null, image.Digest, PolicyErrors.NoRuleMatched.ToException($"{name} (defaultAction: deny; nothing was requested)"));
        }

        ImageTop top;
        try
        {
            top = await new LineageWalker(_registry).OpenAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (SupplyChainException ex)
        {
            return PolicyVerdict.Denied(image, rule.Name, image.Digest, ex);
        }

        var evidence = new LevelEvidence(_evidence);
        if (!top.IsIndex)
        {
            PlatformVerdict single = await EvaluatePlatformAsync(rule, namespaceName, evidence, progress, top, null, cancellationToken).ConfigureAwait(false);
            return PolicyVerdict.Evaluated(image, rule.Name, top, [single], []);
        }

        if (top.Entries.FirstOrDefault(e => e.Kind == IndexEntryKind.NestedIndex) is { } nested)
        {
            return PolicyVerdict.Denied(image, rule.Name, top.Digest, PolicyErrors.IndexNested.ToException($"index {top.Digest} lists index {nested.Digest}"));
        }

        (List<IndexEntry> selected, List<SkippedPlatform> skipped) = Select(top, platforms);
        if (selected.Count == 0)
        {
            string wanted = platforms?.Key ?? "any";
            return PolicyVerdict.Denied(image, rule.Name, top.Digest, PolicyErrors.PlatformNotInIndex.ToException($"index {top.Digest} has no runnable image manifest for {wanted}"));
        }

        var verdicts = new List<PlatformVerdict>(selected.Count);
        foreach (IndexEntry entry in selected)
        {
            verdicts.Add(await EvaluatePlatformAsync(rule, namespaceName, evidence, progress, top, entry, cancellationToken).ConfigureAwait(false));
        }

        return PolicyVerdict.Evaluated(image, rule.Name, top, verdicts, skipped);
    }

    private Task<PlatformVerdict> EvaluatePlatformAsync(PolicyRule rule, string? namespaceName, LevelEvidence evidence, EvaluationProgress progress, ImageTop top, IndexEntry? entry, CancellationToken cancellationToken)
    {
        var evaluation = new PlatformEvaluation(_policy, rule, namespaceName, evidence, progress);
        return evaluation.RunAsync(new LineageWalker(_registry, evaluation.Options(_provenance)), top, entry, cancellationToken);
    }

    /// <summary>
    /// The entries that must pass: every runnable image manifest the workload can run. Entries no node runs
    /// (<c>unknown/unknown</c> attestation manifests, non-image media types) and platforms the workload cannot run
    /// (pinned by node selection, or <c>--platform</c>) are skipped and recorded.
    /// </summary>
    private static (List<IndexEntry> Selected, List<SkippedPlatform> Skipped) Select(ImageTop top, PlatformSet? platforms)
    {
        var selected = new List<IndexEntry>();
        var skipped = new List<SkippedPlatform>();
        foreach (IndexEntry entry in top.Entries)
        {
            if (entry.Kind != IndexEntryKind.Image)
            {
                skipped.Add(new SkippedPlatform(entry.Digest, entry.PlatformText, "not runnable (no platform, unknown/unknown, or not an image manifest)"));
            }
            else if (platforms is not null && !platforms.Matches(entry.Platform!))
            {
                skipped.Add(new SkippedPlatform(entry.Digest, entry.PlatformText, "not a platform the workload can run (" + platforms.Key + ")"));
            }
            else
            {
                selected.Add(entry);
            }
        }

        return (selected, skipped);
    }
}
