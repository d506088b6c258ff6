using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// Reviews one AdmissionRequest against a snapshot (docs/admission.md): extracts every image of the object,
/// resolves tags to digests (or denies them), evaluates each image through the cache, applies the rule's mode and
/// registry-error behaviour, and builds the response. Shared by the webhook and <c>signcli admission review</c>.
/// Thread-safe.
/// </summary>
public sealed class AdmissionEvaluator
{
    private readonly AdmissionEvaluatorOptions _options;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="options">The options.</param>
    public AdmissionEvaluator(AdmissionEvaluatorOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Reviews <paramref name="request"/>; always returns an outcome before <paramref name="deadline"/> fires (a deadline denial is an outcome, not an exception).</summary>
    /// <param name="request">The request.</param>
    /// <param name="snapshot">The policy, trust material and registry to decide with.</param>
    /// <param name="deadline">Fires when the answer must leave (the API server's <c>?timeout=</c> minus a margin).</param>
    /// <returns>The outcome.</returns>
    public Task<AdmissionOutcome> ReviewAsync(AdmissionRequest request, AdmissionSnapshot snapshot, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(snapshot);
        _ = _options;
        throw new NotImplementedException("issue 7: the review helper implements this");
    }
}
