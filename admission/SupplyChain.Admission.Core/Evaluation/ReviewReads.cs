using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// What one AdmissionReview reads with: a <see cref="RegistryReadBudget"/> for the whole review (every image, its tag,
/// its signatures and its lineage; docs/admission.md, "Read budget"), the snapshot's registry behind a
/// <see cref="BudgetedOciRegistry"/> charged to it, and a <see cref="PolicyEvaluator"/> over that registry, built on first
/// use (a review answered from the verdict cache builds none). An evaluation the review starts is charged to the review's
/// budget even when another review joins it (the verdict cache coalesces identical evaluations).
/// </summary>
internal sealed class ReviewReads
{
    private readonly Lazy<PolicyEvaluator> _evaluator;

    public ReviewReads(AdmissionSnapshot snapshot, AdmissionEvaluatorOptions options)
    {
        // Not disposed: an evaluation abandoned at the deadline (or run on by the verdict cache for others) may still
        // read after the review answered; its SemaphoreSlim holds no unmanaged resource unless AvailableWaitHandle is used.
#pragma warning disable CA2000
        Budget = new RegistryReadBudget(options.ReadBudgetBytes, options.MaxConcurrentDownloads);
#pragma warning restore CA2000
        Registry = new BudgetedOciRegistry(snapshot.Registry, Budget);
        _evaluator = new Lazy<PolicyEvaluator>(() => EvaluationBudget.CreateEvaluator(snapshot.Policy, snapshot.Registry, snapshot.Trust, Budget), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The review's budget.</summary>
    public RegistryReadBudget Budget { get; }

    /// <summary>The snapshot's registry, charged to <see cref="Budget"/> (tag resolution).</summary>
    public IOciRegistry Registry { get; }

    /// <summary>The evaluator whose reads are charged to <see cref="Budget"/>.</summary>
    public PolicyEvaluator Evaluator => _evaluator.Value;
}
