using SupplyChain.Admission.Review;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// The result of reviewing one AdmissionRequest: the response to send and, per image, what was decided and why
/// (for the metrics and the JSON log line; it never holds tokens, keys or certificates).
/// </summary>
/// <param name="Response">The response (uid echoed, allowed, status, warnings; never a patch).</param>
/// <param name="Images">One entry per image reference found in the object, in the order found.</param>
public sealed record AdmissionOutcome(AdmissionResponse Response, IReadOnlyList<ImageOutcome> Images);

/// <summary>What was decided for one image of the workload.</summary>
/// <param name="Reference">The reference as written in the object.</param>
/// <param name="Location">Where it was found, as <c>spec.template.spec.initContainers[0].image</c>.</param>
/// <param name="Digest">The digest evaluated (the tag resolved at admission), or <c>null</c> when it was never resolved.</param>
/// <param name="Decision">The decision.</param>
/// <param name="Mode">The mode of the rule that applied (the policy's when none matched).</param>
/// <param name="Rule">The rule that applied to the image, or <c>null</c>.</param>
/// <param name="ErrorCode">The error code of a denial (also for warned, audited and registry-error-allowed ones), else <c>null</c>.</param>
/// <param name="RegistryError">Whether the failure was the registry's (unreachable, throttled, 5xx, out of time).</param>
/// <param name="Source">How the verdict was obtained, or <c>null</c> when none was (the reference was refused before evaluation).</param>
public sealed record ImageOutcome(
    string Reference,
    string Location,
    string? Digest,
    ImageDecision Decision,
    PolicyMode Mode,
    string? Rule,
    string? ErrorCode,
    bool RegistryError,
    VerdictSource? Source);

/// <summary>The decision for one image.</summary>
public enum ImageDecision
{
    /// <summary>The policy allowed it.</summary>
    Allowed,

    /// <summary>Denied in enforce mode: the workload is rejected.</summary>
    Denied,

    /// <summary>Denied in warn mode: admitted with a warning.</summary>
    Warned,

    /// <summary>Denied in audit mode: admitted, logged and counted only.</summary>
    Audited,

    /// <summary>The registry failed and the rule says <c>onRegistryError: allow</c>: admitted with a warning.</summary>
    AllowedOnRegistryError,

    /// <summary>
    /// UPDATE: the reference was already in the old object, so it is not re-evaluated (docs/admission.md, "UPDATE").
    /// A scale, a label or a finalizer change never waits on a registry; every pod the workload creates is still
    /// reviewed on its own CREATE.
    /// </summary>
    Unchanged,
}
