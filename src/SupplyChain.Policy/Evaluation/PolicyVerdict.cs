using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// The result of evaluating an image against a policy: allowed only when every level passed and the lineage (when
/// the rule asks for it) was proved to an accepted end. Any error denies (fail closed).
/// </summary>
public sealed class PolicyVerdict
{
    /// <summary>The media type of <see cref="ToJson"/>'s output.</summary>
    public const string MediaType = "application/vnd.supplychain.policy-result.v1+json";

    internal PolicyVerdict(ImageReference image, LineageTree lineage, IReadOnlyList<PolicyLevelVerdict> levels)
    {
        Image = image;
        Lineage = lineage;
        Levels = levels;
        PolicyLevelVerdict? denied = levels.FirstOrDefault(l => !l.Allowed);
        Error = denied is null ? lineage.Error : denied.Error;
        ErrorDetail = denied is null ? lineage.ErrorDetail : denied.ErrorDetail;

        // Allowed only with at least one level, every level allowed, and a walk that did not fail.
        Allowed = Error is null && levels.Count > 0 && lineage.End != LineageEnd.Failed;
    }

    /// <summary>The image asked about, as given.</summary>
    public ImageReference Image { get; }

    /// <summary>Whether the image is admitted.</summary>
    public bool Allowed { get; }

    /// <summary>Why it was denied: the failure of the walk or of the topmost denied level; <c>null</c> when allowed.</summary>
    public ErrorCode? Error { get; }

    /// <summary>The failure's message, or <c>null</c>.</summary>
    public string? ErrorDetail { get; }

    /// <summary>The lineage as walked (one level ending <see cref="LineageEnd.NotWalked"/> when the rule does not ask for the lineage).</summary>
    public LineageTree Lineage { get; }

    /// <summary>One verdict per level, top image first.</summary>
    public IReadOnlyList<PolicyLevelVerdict> Levels { get; }

    /// <summary>Renders the verdict as JSON (<see cref="MediaType"/>), for <c>--output json</c> and the webhook's audit log.</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ToJson() => PolicyVerdictJson.Write(this);
}
