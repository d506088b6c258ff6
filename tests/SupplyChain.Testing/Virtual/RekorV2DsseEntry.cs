namespace SupplyChain.Testing.Virtual;

/// <summary>How the kit's Rekor v2 log records a DSSE bundle (<see cref="SigningOptions.RekorV2Dsse"/>).</summary>
public enum RekorV2DsseEntry
{
    /// <summary>
    /// <c>hashedrekord</c> 0.0.2 whose digest is SHA-256(PAE(payloadType, payload)) and whose signature is the envelope's:
    /// rekor-v2-spec section 6.1.4 ("DSSE-envelope bundles MUST be uploaded as a HashedRekord"), what sigstore-go,
    /// sigstore-python, sigstore-rust and signcli upload, and the shape of the conformance vectors
    /// <c>rekor2-dsse-*</c>. The default.
    /// </summary>
    HashedRekordOverPae,

    /// <summary>
    /// <c>dsse</c> 0.0.2 (<c>payloadHash</c> and the envelope's signatures with their verifiers), the kind rekor-tiles had
    /// before the spec removed it. Core's verifier still accepts it, so the kit can produce it.
    /// </summary>
    DsseV002,
}
