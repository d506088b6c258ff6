using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// The read budget of one evaluation (docs/policy.md, "Read budget"): one <see cref="RegistryReadBudget"/> per admission
/// review (all its images and their lineages) or per <c>signcli verify --policy</c> / <c>policy test</c> image, charged by
/// every read of the lineage walk and of the signatures (a <see cref="BudgetedOciRegistry"/> under both). Exhausted, a
/// read fails with <c>SC4020</c> and the image is denied with that code at every depth: never a registry error that
/// <c>onRegistryError: allow</c> admits.
/// </summary>
public static class EvaluationBudget
{
    /// <summary>
    /// 128 MiB read per evaluation by default: an honest pod of 16 images with 4-level lineages reads about 2 MiB
    /// (manifests, configs, listings, bundles of a few KiB); a policy requiring SBOM attestations reads them too.
    /// </summary>
    public const long DefaultMaxTotalBytes = 128L * 1024 * 1024;

    /// <summary>8 reads in flight per evaluation by default (each at most one signature, attestation, config or manifest).</summary>
    public const int DefaultMaxConcurrentDownloads = 8;

    /// <summary>A budget with the defaults.</summary>
    /// <returns>The budget (the caller disposes it once the evaluation ended).</returns>
    public static RegistryReadBudget CreateDefault() => new(DefaultMaxTotalBytes, DefaultMaxConcurrentDownloads);

    /// <summary>An evaluator whose every read, of images and of signatures alike, is charged to <paramref name="budget"/>.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="registry">The (long-lived) registry client.</param>
    /// <param name="trust">The trusted material signatures are verified against.</param>
    /// <param name="budget">The evaluation's budget.</param>
    /// <returns>The evaluator; build one per evaluation.</returns>
    public static PolicyEvaluator CreateEvaluator(ImagePolicy policy, IOciRegistry registry, ITrustedMaterial trust, RegistryReadBudget budget)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(budget);
        var budgeted = new BudgetedOciRegistry(registry, budget);
        return new PolicyEvaluator(policy, budgeted, new OciSignatureEvidenceSource(budgeted, trust));
    }
}
