using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// A base-image claim read from a VERIFIED SLSA provenance attestation on an image (in-toto predicate
/// <c>https://slsa.dev/provenance/v1</c> <c>buildDefinition.resolvedDependencies</c>, or v0.2 <c>materials</c>).
/// The signature layer implements it: it must return a claim only from an attestation whose signature and
/// signer it has verified, and say nothing (return <c>null</c>) otherwise. The walk treats the answer as the
/// lowest-precedence claim source and still proves it by the layer prefix.
/// </summary>
public interface IBaseImageProvenanceSource
{
    /// <summary>Finds the base image the verified provenance of <paramref name="image"/> names.</summary>
    /// <param name="image">The image, by digest (its platform manifest).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The claim (with <see cref="ClaimSource.Provenance"/>), or <c>null</c> when there is no verified provenance naming a base.</returns>
    Task<BaseImageClaim?> TryGetBaseImageClaimAsync(ImageReference image, CancellationToken cancellationToken = default);
}
