namespace SupplyChain.Oci.Lineage;

/// <summary>
/// The images a VERIFIED SLSA provenance attestation on a lineage level says its build consumed (in-toto predicate
/// <c>https://slsa.dev/provenance/v1</c> <c>buildDefinition.resolvedDependencies</c>, or v0.2 <c>materials</c>): the
/// level's base candidates. The implementer verifies: it must answer only from attestations whose signature, signer and
/// subject (the level's digest) it has verified under the level's own rule, and answer <c>null</c> when there is none.
/// The walker then selects the base among the candidates by the layer proof (docs/policy.md, "Base images from
/// provenance"); <c>SupplyChain.Policy</c>'s evaluator is the implementation that verifies.
/// </summary>
public interface IBaseImageProvenanceSource
{
    /// <summary>Finds the image dependencies the verified provenance of <paramref name="level"/> names.</summary>
    /// <param name="level">The level, after its admission (its repository at its platform manifest's digest, and the index it came from).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The dependencies of every verified provenance statement, or <c>null</c> when the level carries no verified provenance.</returns>
    Task<ProvenanceDependencies?> GetDependenciesAsync(LineageLevel level, CancellationToken cancellationToken = default);
}
