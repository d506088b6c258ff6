using SupplyChain.Core.Errors;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Evaluation;

/// <summary>The decision on one distinct image reference (evaluated once however many locations name it).</summary>
/// <param name="Reference">The reference as written.</param>
/// <param name="Digest">The digest evaluated, or <c>null</c>.</param>
/// <param name="Decision">The decision.</param>
/// <param name="Mode">The mode that applied.</param>
/// <param name="Rule">The rule's name, or <c>null</c>.</param>
/// <param name="Error">The failure's code, or <c>null</c> when allowed.</param>
/// <param name="Message">The status message of a failure (starts with the code; names the image and the failed level), or <c>null</c>.</param>
/// <param name="RegistryError">Whether the failure was the registry's (or the deadline's).</param>
/// <param name="Source">How the verdict was obtained, or <c>null</c> when there was none.</param>
internal sealed record ImageResult(
    string Reference,
    string? Digest,
    ImageDecision Decision,
    PolicyMode Mode,
    string? Rule,
    ErrorCode? Error,
    string? Message,
    bool RegistryError,
    VerdictSource? Source)
{
    /// <summary>A denial no rule or mode can soften (the reference is not a reference, or the evaluation failed unexpectedly): the code's summary is the message.</summary>
    public static ImageResult DeniedOutright(string reference, ErrorCode code, PolicyMode mode) =>
        new(reference, null, ImageDecision.Denied, mode, null, code, $"{ImageMessages.Prefix(code, reference)}: {code.Summary}", false, null);
}
