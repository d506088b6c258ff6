using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evidence;

/// <summary>The signatures (or attestations of one type) attached to one digest, gathered once.</summary>
public interface IDigestEvidence
{
    /// <summary>The digest they are attached to.</summary>
    string Digest { get; }

    /// <summary>How many were found, verified or not (0 = nothing attached).</summary>
    int Found { get; }

    /// <summary>The verified signers <paramref name="authority"/> accepts, and the signatures it rejected (each with its code).</summary>
    /// <param name="authority">An authority of the rule.</param>
    /// <returns>The match.</returns>
    EvidenceMatch Match(PolicyAuthority authority);
}

/// <summary>One verified signer: who (distinct by certificate identity or key) and what digest it signed.</summary>
/// <param name="SignerId">Distinguishes signers for k-of-n: <c>identity:SAN|ISSUER</c> or <c>key:SHA256</c> (<see cref="VerifiedSignature.SignerId"/>).</param>
/// <param name="Identity">For display: <c>subject (issuer)</c> of a certificate, or <c>key sha256:...</c>.</param>
/// <param name="SignedDigest">The digest the signature covers.</param>
public sealed record EvidenceSigner(string SignerId, string Identity, string SignedDigest)
{
    /// <summary>
    /// What Core verified of this signature (certificate extensions, the in-toto statement), for attestation conditions;
    /// <see langword="null"/> when the source has no verified result (a key-signed signature without a log entry, a test double).
    /// </summary>
    public Core.Verification.VerificationResult? Details { get; init; }
}

/// <summary>What one authority accepts of one digest's evidence.</summary>
/// <param name="Signers">The distinct verified signers it accepts.</param>
/// <param name="Rejected">The signatures that did not verify for it, each with its code.</param>
public sealed record EvidenceMatch(IReadOnlyList<EvidenceSigner> Signers, IReadOnlyList<RejectedSignature> Rejected)
{
    /// <summary>
    /// Every verified signature the authority accepts, one per signature (<see cref="Signers"/> keeps one per signer), with
    /// its <see cref="EvidenceSigner.Details"/>: attestation conditions choose among them. <see cref="Signers"/> when not set.
    /// </summary>
    public IReadOnlyList<EvidenceSigner>? Verified { get; init; }
}
