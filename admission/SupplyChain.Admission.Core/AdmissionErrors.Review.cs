using SupplyChain.Core.Errors;

namespace SupplyChain.Admission;

public static partial class AdmissionErrors
{
    // The AdmissionReview and the workload in it (SC70xx).

    /// <summary>SC7001: the AdmissionReview body is larger than the limit (4 MiB).</summary>
    public static readonly ErrorCode ReviewTooLarge = new("SC7001", ErrorCategory.MalformedInput, "the AdmissionReview is larger than the limit");

    /// <summary>SC7002: the body is not one well-formed JSON object within the depth limit (syntax error, trailing data, duplicate key, too deep).</summary>
    public static readonly ErrorCode ReviewNotJson = new("SC7002", ErrorCategory.MalformedInput, "the AdmissionReview is not well-formed JSON");

    /// <summary>SC7003: <c>apiVersion</c> is not <c>admission.k8s.io/v1</c> or <c>kind</c> is not <c>AdmissionReview</c>.</summary>
    public static readonly ErrorCode ReviewVersionUnsupported = new("SC7003", ErrorCategory.MalformedInput, "the review is not an admission.k8s.io/v1 AdmissionReview");

    /// <summary>SC7004: the review has no <c>request</c>, or a required field of it is missing, empty or of the wrong type.</summary>
    public static readonly ErrorCode RequestMalformed = new("SC7004", ErrorCategory.MalformedInput, "the AdmissionReview request is malformed");

    /// <summary>SC7010: the request is for a kind the webhook does not know how to read images from (fail closed).</summary>
    public static readonly ErrorCode KindUnsupported = new("SC7010", ErrorCategory.MalformedInput, "the workload kind is not supported");

    /// <summary>SC7011: the object is missing, or its pod spec (or the path to it) is not of the expected shape.</summary>
    public static readonly ErrorCode WorkloadMalformed = new("SC7011", ErrorCategory.MalformedInput, "the workload object is malformed");

    /// <summary>SC7012: a container (or image volume) has no image, or an empty or non-string one.</summary>
    public static readonly ErrorCode ImageMissing = new("SC7012", ErrorCategory.MalformedInput, "a container of the workload has no image");

    /// <summary>SC7013: the object names more images than the limit.</summary>
    public static readonly ErrorCode TooManyImages = new("SC7013", ErrorCategory.MalformedInput, "the workload names more images than the limit");

    /// <summary>SC7014: an image reference of the workload is not a valid reference.</summary>
    public static readonly ErrorCode ImageReferenceMalformed = new("SC7014", ErrorCategory.MalformedInput, "an image reference of the workload is malformed");
}
