using SupplyChain.Core.Bundles;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Transparency;

/// <summary>What a transparency-log entry body must match: the bundle's signed content and its signer.</summary>
/// <param name="MessageSignature">The bundle's message signature, or <see langword="null"/> for DSSE bundles.</param>
/// <param name="Envelope">The bundle's DSSE envelope, or <see langword="null"/> for message bundles.</param>
/// <param name="VerifierDer">The signer: the leaf certificate DER, or the SubjectPublicKeyInfo DER of the supplied key.</param>
/// <param name="VerifierIsCertificate"><see langword="true"/> when <paramref name="VerifierDer"/> is a certificate.</param>
/// <param name="Artifact">The artifact, whose digest a hashedrekord body must carry (message bundles only).</param>
/// <param name="SignerSpki">The SubjectPublicKeyInfo DER of the key that signed (the leaf's key for certificate bundles).</param>
internal sealed record TlogSubject(
    MessageSignature? MessageSignature,
    DsseEnvelope? Envelope,
    ReadOnlyMemory<byte> VerifierDer,
    bool VerifierIsCertificate,
    Artifact? Artifact,
    ReadOnlyMemory<byte> SignerSpki = default);

/// <summary>A log entry whose body, proof and promise verified.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Log">The trusted log that made it.</param>
/// <param name="IntegratedTime">The integrated time, only when an inclusion promise (SET) signed it; otherwise <see langword="null"/>.</param>
internal sealed record VerifiedTlogEntry(TransparencyLogEntry Entry, Trust.TransparencyLogInstance Log, DateTimeOffset? IntegratedTime);
