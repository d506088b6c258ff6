using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Signatures;

/// <summary>What <see cref="ImageVerifier"/> must find: a signature (or an attestation of a type) by whom the policy names.</summary>
public sealed record ImageVerificationRequest
{
    /// <summary>Who must have signed.</summary>
    public required VerificationPolicy Policy { get; init; }

    /// <summary>The attestation's predicate type URI; <c>null</c> to verify an image signature.</summary>
    public string? PredicateType { get; init; }

    /// <summary>For an index: the platform manifest to verify (a signature on it, or on the index, is accepted).</summary>
    public OciPlatform? Platform { get; init; }

    /// <summary>
    /// UNSAFE (cosign's <c>--insecure-ignore-tlog</c>): with a key policy, accept a signature that has no transparency-log
    /// entry (what skopeo writes), checked with the key alone. Entries that are present are still verified.
    /// </summary>
    public bool IgnoreTransparencyLogUnsafe { get; init; }

    /// <summary>
    /// What an attestation must say about its source and builder (<see cref="AttestationChecker"/>): an attestation that
    /// verifies but fails them is rejected with its code, and the next one is tried.
    /// </summary>
    public AttestationRequirements? Requirements { get; init; }
}
