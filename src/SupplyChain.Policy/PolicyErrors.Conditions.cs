using SupplyChain.Core.Errors;

namespace SupplyChain.Policy;

/// <summary>Stable error codes of SupplyChain.Policy.</summary>
public static partial class PolicyErrors
{
    // Attestation conditions (SC5130-SC5139)

    /// <summary>SC5130: an attestation's <c>conditions</c> are invalid (an unknown key, an empty or too long pattern, <c>sbom</c> on a type that is no SBOM).</summary>
    public static readonly ErrorCode AttestationConditionsInvalid = new("SC5130", ErrorCategory.MalformedInput, "an attestation's conditions are invalid");

    /// <summary>SC5131: attestations of the required type verified, but not enough of them meet the requirement's conditions.</summary>
    public static readonly ErrorCode AttestationConditionsUnmet = new("SC5131", ErrorCategory.VerificationFailed, "the attestation does not meet the policy's conditions");
}
