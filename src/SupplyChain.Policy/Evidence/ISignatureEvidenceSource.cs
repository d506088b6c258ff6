using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evidence;

/// <summary>
/// Where the evaluator gets VERIFIED signatures and attestations of one image. The OCI signature layer implements
/// it: it discovers the signatures attached to the image (Sigstore bundles as referrers, legacy cosign tags, and those
/// on the index the image was resolved from), verifies each one cryptographically and against the trusted material,
/// and reports which of the given authorities each verified signature satisfies (each authority's
/// <see cref="PolicyAuthority.Policy"/> is the Core verification policy to apply).
/// Contract: report only signatures that verified; a signature that does not verify under any authority is only
/// counted in <see cref="SignatureEvidence.SignaturesFound"/>. A registry or verification service failure must throw
/// (a <see cref="Core.Errors.SupplyChainException"/> with its code), never read as "no signatures".
/// </summary>
public interface ISignatureEvidenceSource
{
    /// <summary>The verified signers of <paramref name="subject"/> among <paramref name="authorities"/>.</summary>
    /// <param name="subject">The image (platform manifest digest) and the index it came from.</param>
    /// <param name="authorities">The authorities the rule accepts.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>What was found and what verified.</returns>
    Task<SignatureEvidence> GetSignaturesAsync(EvidenceSubject subject, IReadOnlyList<PolicyAuthority> authorities, CancellationToken cancellationToken = default);

    /// <summary>The verified attestations of <paramref name="predicateType"/> on <paramref name="subject"/> signed by one of <paramref name="authorities"/>.</summary>
    /// <param name="subject">The image and the index it came from.</param>
    /// <param name="predicateType">The in-toto predicate type asked for.</param>
    /// <param name="authorities">Who may have signed it.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The verified attestations, each naming the authority it satisfied; empty when none.</returns>
    Task<IReadOnlyList<VerifiedAttestation>> GetAttestationsAsync(EvidenceSubject subject, string predicateType, IReadOnlyList<PolicyAuthority> authorities, CancellationToken cancellationToken = default);
}
