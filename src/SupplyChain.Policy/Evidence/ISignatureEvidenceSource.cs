using SupplyChain.Oci.Registry;

namespace SupplyChain.Policy.Evidence;

/// <summary>
/// Where the evaluator gets the signatures and attestations attached to one image digest. The OCI signature layer
/// implements it (<see cref="OciSignatureEvidenceSource"/>): it discovers what is attached to the digest (Sigstore bundles
/// as referrers, legacy cosign tags), fetches and parses each once, verifies each cryptographically at most once, and
/// answers, per authority, which verified signers that authority accepts (<see cref="IDigestEvidence.Match"/>).
/// The evaluator asks once per digest and predicate type per evaluation, however many authorities, levels and platforms
/// need it. Contract: a registry or verification service failure must throw (a
/// <see cref="Core.Errors.SupplyChainException"/> with its code), never read as "no signatures".
/// </summary>
public interface ISignatureEvidenceSource
{
    /// <summary>Everything attached to <paramref name="subject"/>'s digest: image signatures, or attestations of <paramref name="predicateType"/>.</summary>
    /// <param name="subject">The repository at the digest.</param>
    /// <param name="predicateType">The in-toto predicate type, or <c>null</c> for image signatures.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The evidence, ready to be matched against authorities without another request.</returns>
    Task<IDigestEvidence> CollectAsync(ImageReference subject, string? predicateType, CancellationToken cancellationToken = default);
}
