namespace SupplyChain.Admission.Review;

/// <summary>Reads and writes AdmissionReview JSON strictly and within limits (docs/admission.md, "Requests").</summary>
public static class AdmissionReviewJson
{
    /// <summary>Parses an AdmissionReview request body.</summary>
    /// <param name="body">The HTTP request body (UTF-8 JSON).</param>
    /// <returns>The review, with a request.</returns>
    /// <exception cref="SupplyChain.Core.Errors.MalformedInputException">SC70xx when the body is not a well-formed admission.k8s.io/v1 AdmissionReview request within the limits.</exception>
    public static AdmissionReview Read(ReadOnlyMemory<byte> body) =>
        throw new NotImplementedException($"issue 7: the review helper implements this ({body.Length} bytes)");

    /// <summary>Serializes a review (the response) as UTF-8 JSON; never writes a patch.</summary>
    /// <param name="review">The review.</param>
    /// <returns>The JSON.</returns>
    public static byte[] Write(AdmissionReview review) =>
        throw new NotImplementedException($"issue 7: the review helper implements this ({review?.Kind})");
}
