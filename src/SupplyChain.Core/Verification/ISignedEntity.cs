using SupplyChain.Core.Bundles;

namespace SupplyChain.Core.Verification;

/// <summary>
/// What <see cref="SigstoreVerifier"/> verifies: a signature with its key material, log entries and timestamps
/// (sigstore-go pkg/verify/interface.go SignedEntity: VerificationProvider, TlogEntryProvider,
/// SignedTimestampProvider, SignatureProvider and Version). <see cref="SigstoreBundle"/> is one; a legacy cosign
/// signature or a test double can be another. The verifier trusts nothing an implementation says: it checks
/// every signature, proof and time itself, and refuses an entity that carries both or neither kind of content.
/// </summary>
public interface ISignedEntity
{
    /// <summary>The format the entity came in (a bundle's media type); reported in <see cref="VerificationResult.BundleMediaType"/>.</summary>
    string MediaType { get; }

    /// <summary>The key or certificate, transparency-log entries and RFC 3161 timestamps.</summary>
    VerificationMaterial VerificationMaterial { get; }

    /// <summary>The signature over an artifact; <see langword="null"/> when the entity carries a DSSE envelope.</summary>
    MessageSignature? MessageSignature { get; }

    /// <summary>The DSSE envelope; <see langword="null"/> when the entity carries a message signature.</summary>
    DsseEnvelope? DsseEnvelope { get; }
}
