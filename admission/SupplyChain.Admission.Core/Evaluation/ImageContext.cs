using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// The rule and mode that apply to one image, and how a failure becomes a decision (docs/admission.md, "Modes" and
/// "Registry errors"): a failure of the registry of the image the workload names (its tag, manifests, signatures) under
/// <c>onRegistryError: allow</c> is admitted with a warning; any other failure (content not matching its digest, and
/// any failure below the image, which the evaluator reports as SC5112 or the deadline as SC7110) follows the mode.
/// </summary>
/// <param name="Reference">The reference as written.</param>
/// <param name="Rule">The rule matching the image's name in the workload's namespace, or <c>null</c>.</param>
/// <param name="Mode">The rule's mode, else the policy's.</param>
internal sealed record ImageContext(string Reference, PolicyRule? Rule, PolicyMode Mode)
{
    /// <summary>The context of <paramref name="reference"/>: the rule matching <paramref name="image"/>'s name in the namespace (none when it did not parse) and that rule's mode, else the policy's.</summary>
    public static ImageContext For(string reference, ImageReference? image, AdmissionSnapshot snapshot, string? namespaceName)
    {
        PolicyRule? rule = image is null ? null : snapshot.Policy.Match(image.Registry + "/" + image.Repository, namespaceName);
        return new ImageContext(reference, rule, rule?.Mode ?? snapshot.Policy.Mode);
    }

    public ImageResult Failed(string? digest, ErrorCode code, string message, bool registryError, VerdictSource? source)
    {
        ImageDecision decision = registryError && Rule?.OnRegistryError == PolicyAction.Allow
            ? ImageDecision.AllowedOnRegistryError
            : Mode switch
            {
                PolicyMode.Warn => ImageDecision.Warned,
                PolicyMode.Audit => ImageDecision.Audited,
                _ => ImageDecision.Denied,
            };
        return new ImageResult(Reference, digest, decision, Mode, Rule?.Name, code, ImageMessages.Bound(message), registryError, source);
    }

    public ImageResult FromVerdict(string digest, CachedVerdict cached)
    {
        PolicyVerdict verdict = cached.Verdict;
        if (verdict.Allowed)
        {
            return new ImageResult(Reference, digest, ImageDecision.Allowed, Mode, Rule?.Name, null, null, false, cached.Source);
        }

        // Registry error: the registry could not be read (unreachable, throttled, 5xx, out of time). An integrity
        // failure (SC4006, content not matching its digest) is VerificationFailed, so it is never one.
        ErrorCode code = verdict.Error ?? AdmissionErrors.EvaluationFailed;
        bool registryError = code.Category == ErrorCategory.ServiceFailure;
        return Failed(digest, code, ImageMessages.Denial(Reference, digest, verdict, code), registryError, cached.Source);
    }
}
