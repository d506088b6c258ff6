using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Workloads;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// An AdmissionReview request body as the API server (or anyone who can reach the webhook) posts it: the reader, the
/// image extraction for every workload kind, the images an UPDATE already had, and the response written back.
/// </summary>
internal sealed class AdmissionReviewTarget : FuzzTarget
{
    public override string Name => "admission-review";

    public override string Description => "AdmissionReview JSON -> AdmissionReviewJson.Read, WorkloadImages, response write";

    public override void Run(ReadOnlySpan<byte> input)
    {
        AdmissionReview review = AdmissionReviewJson.Read(input.ToArray());
        AdmissionRequest request = review.Request!;
        Step(() => WorkloadImages.Extract(request));
        Step(() => WorkloadImages.ExistingReferences(request));
        review.Response = ResponseBuilder.Refused(request.Uid, "fuzz");
        AdmissionReviewJson.Write(review);
    }
}
