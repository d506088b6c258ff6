using SupplyChain.Core.Errors;

namespace SupplyChain.Admission;

public static partial class AdmissionErrors
{
    // Evaluating the images (SC71xx).

    /// <summary>SC7101: the image is referenced by tag and the policy sets <c>denyTags: true</c>.</summary>
    public static readonly ErrorCode TagDenied = new("SC7101", ErrorCategory.VerificationFailed, "the image is referenced by tag and the policy denies tags");

    /// <summary>SC7102: the registry failed (unreachable, throttled, 5xx, out of time) while the image's tag was resolved to a digest; counts as a registry error.</summary>
    public static readonly ErrorCode TagResolutionFailed = new("SC7102", ErrorCategory.ServiceFailure, "the registry failed while the image's tag was resolved to a digest");

    /// <summary>SC7103: the answer's deadline passed before the image's evaluation finished (counts as a registry error).</summary>
    public static readonly ErrorCode DeadlineExceeded = new("SC7103", ErrorCategory.ServiceFailure, "the image was not evaluated before the admission deadline");

    /// <summary>SC7104: the evaluation of the image failed unexpectedly (fail closed).</summary>
    public static readonly ErrorCode EvaluationFailed = new("SC7104", ErrorCategory.ServiceFailure, "the image's evaluation failed unexpectedly");

    /// <summary>SC7110: the answer's deadline passed while the image's base-image lineage was being followed (or inside an evaluation shared with another request): a denial, never a registry error.</summary>
    public static readonly ErrorCode LineageDeadlineExceeded = new("SC7110", ErrorCategory.VerificationFailed, "the image's lineage was not evaluated before the admission deadline");
}
