namespace SupplyChain.Testing.Virtual;

/// <summary>The kind of transparency log an entry goes to.</summary>
public enum LogFlavour
{
    /// <summary>Rekor v1: ECDSA P-256 key, hashedrekord/dsse 0.0.1 bodies, integrated time and SET (inclusion promise).</summary>
    RekorV1,

    /// <summary>Rekor v2 (rekor-tiles): Ed25519 key, hashedrekord 0.0.2 bodies, inclusion proof and checkpoint only.</summary>
    RekorV2,
}
