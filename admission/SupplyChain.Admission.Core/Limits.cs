namespace SupplyChain.Admission;

/// <summary>Limits on untrusted input (AdmissionReviews, workload objects), in one place (DESIGN.md convention 5).</summary>
internal static partial class Limits
{
    /// <summary>
    /// Largest AdmissionReview body read: 4 MiB. The API server's own request limit is 3 MiB of object (etcd's
    /// default 1.5 MiB value size, times the object and oldObject an UPDATE carries), so a larger body is hostile.
    /// </summary>
    public const int MaxReviewBytes = 4 * 1024 * 1024;

    /// <summary>Deepest JSON nesting of a review (a pod spec under a CronJob is about 15 levels deep; CRDs in annotations stay strings).</summary>
    public const int MaxReviewJsonDepth = 64;

    /// <summary>Most image references (containers, init and ephemeral containers, image volumes) read from one object.</summary>
    public const int MaxImagesPerObject = 256;

    /// <summary>Longest status message of a denial (kubectl prints it whole).</summary>
    public const int MaxStatusMessageLength = 1024;

    /// <summary>Longest warning (issue 7: at most 120 characters; the API server truncates longer ones anyway).</summary>
    public const int MaxWarningLength = 120;

    /// <summary>Most warnings per response (one per image beyond it would drown the client).</summary>
    public const int MaxWarnings = 10;

    /// <summary>Longest audit annotation value.</summary>
    public const int MaxAuditAnnotationLength = 2048;
}
