using SupplyChain.Core.Errors;

namespace SupplyChain.Policy;

/// <summary>Stable error codes of SupplyChain.Policy.</summary>
public static partial class PolicyErrors
{
    // Evaluation (SC51xx)

    /// <summary>SC5101: no rule of the policy matches the image's name, and the default action is deny.</summary>
    public static readonly ErrorCode NoRuleMatched = new("SC5101", ErrorCategory.VerificationFailed, "no policy rule matches the image");

    /// <summary>SC5102: no signature was found on the image (nor on the index it was resolved from).</summary>
    public static readonly ErrorCode ImageUnsigned = new("SC5102", ErrorCategory.VerificationFailed, "the image has no signature");

    /// <summary>SC5103: signatures were found, but fewer of the rule's authorities signed than its threshold.</summary>
    public static readonly ErrorCode SignersInsufficient = new("SC5103", ErrorCategory.VerificationFailed, "the image is not signed by enough of the rule's authorities");

    /// <summary>SC5104: a required attestation is missing or not signed by enough of its authorities.</summary>
    public static readonly ErrorCode AttestationMissing = new("SC5104", ErrorCategory.VerificationFailed, "a required attestation is missing");

    /// <summary>SC5105: the lineage ends at an image without a base-image claim, and the rule does not allow that.</summary>
    public static readonly ErrorCode LineageClaimMissing = new("SC5105", ErrorCategory.VerificationFailed, "the lineage ends at an image without a base-image claim");

    /// <summary>SC5106: the lineage ends at scratch, and the rule's trusted roots do not include scratch.</summary>
    public static readonly ErrorCode LineageRootUntrusted = new("SC5106", ErrorCategory.VerificationFailed, "the lineage does not end at a trusted root");

    /// <summary>SC5110: the index the workload names lists another index; nested indexes are not followed (fail closed).</summary>
    public static readonly ErrorCode IndexNested = new("SC5110", ErrorCategory.VerificationFailed, "the image index lists a nested index");

    /// <summary>SC5111: the index has no runnable image manifest for the platforms the workload can run (its pinned <c>kubernetes.io/os</c>/<c>arch</c>, or <c>--platform</c>).</summary>
    public static readonly ErrorCode PlatformNotInIndex = new("SC5111", ErrorCategory.VerificationFailed, "the image index has no manifest for the platforms the workload can run");

    /// <summary>SC5112: a registry failed or did not answer while the lineage was followed below the image the workload names; a denial, never a registry error the rule may admit.</summary>
    public static readonly ErrorCode LineageRegistryFailed = new("SC5112", ErrorCategory.VerificationFailed, "a registry failed while the base-image lineage was followed");

    /// <summary>SC5113: a verified base-image claim names a repository no rule covers (in the workload's namespace) and no trusted root names; denied without a request to it.</summary>
    public static readonly ErrorCode ClaimNotCovered = new("SC5113", ErrorCategory.VerificationFailed, "the base-image claim names a repository no rule or trusted root covers");

    /// <summary>SC5114: a lineage level below the image matches no rule and is not a trusted root (whatever the default action).</summary>
    public static readonly ErrorCode AncestorUnruled = new("SC5114", ErrorCategory.VerificationFailed, "a base image in the lineage matches no rule and is not a trusted root");

    /// <summary>SC5115: a base image in the lineage has no layers and is not itself a trusted root (an empty base proves nothing).</summary>
    public static readonly ErrorCode EmptyBaseUntrusted = new("SC5115", ErrorCategory.VerificationFailed, "an empty base image that is not a trusted root ends the lineage");
}
