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
}
