using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Evaluation;

/// <summary>One distinct image to evaluate for a request: the reference, the workload's namespace and platforms, its progress, and the request's reads.</summary>
/// <param name="Reference">The reference as written.</param>
/// <param name="Namespace">The workload's namespace.</param>
/// <param name="Platforms">The platforms the workload can run, or <c>null</c> for every platform.</param>
/// <param name="Progress">How far its evaluation got.</param>
/// <param name="Reads">The request's registry and evaluator, charged to its read budget.</param>
internal sealed record ImageJob(string Reference, string? Namespace, PlatformSet? Platforms, ImageProgress Progress, ReviewReads Reads);

/// <summary>
/// How far one image's evaluation got when the deadline fired (docs/admission.md, "Registry errors"): still waiting for a
/// turn or resolving its tag, or inside the policy evaluation (whose own progress says whether it had gone below the
/// image into its lineage). Only a deadline that provably hit the workload's own registry reads is a registry error;
/// one below the image, or inside an evaluation shared with another request (whose progress this request cannot see),
/// is a denial.
/// </summary>
internal sealed class ImageProgress
{
    private int _evaluating;

    /// <summary>The progress the policy evaluation reports into (when this request runs it, not when it joins another's).</summary>
    public EvaluationProgress Evaluation { get; } = new();

    /// <summary>Marks the start of the policy evaluation (after the tag was resolved).</summary>
    public void StartEvaluating() => Interlocked.Exchange(ref _evaluating, 1);

    /// <summary>Whether a deadline now is a registry error of the workload's own image (else a denial).</summary>
    public bool DeadlineIsRegistryError =>
        Volatile.Read(ref _evaluating) == 0 || (Evaluation.Started && !Evaluation.FollowingLineage);
}
