using SupplyChain.Core.Errors;

namespace SupplyChain.Admission;

/// <summary>
/// Stable error codes of the admission webhook (the <c>SC7xxx</c> range), listed in <c>docs/errors.md</c>:
/// <c>SC70xx</c> the AdmissionReview and the workload in it (AdmissionErrors.Review.cs), <c>SC71xx</c> the
/// evaluation of its images (AdmissionErrors.Evaluation.cs), <c>SC72xx</c> the server, its configuration,
/// trust material and policy reloads (AdmissionErrors.Hosting.cs).
/// </summary>
public static partial class AdmissionErrors
{
}
