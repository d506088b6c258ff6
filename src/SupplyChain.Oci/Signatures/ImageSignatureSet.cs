using SupplyChain.Core.Verification;

namespace SupplyChain.Oci.Signatures;

/// <summary>A signature (or attestation) that verified under a policy.</summary>
/// <param name="Signature">Where it is.</param>
/// <param name="Signer">Who signed: certificate identity and issuer, and the key's SHA-256.</param>
/// <param name="PredicateType">The verified statement's predicate type (<c>null</c> for a legacy simple-signing signature).</param>
/// <param name="Details">Core's result; <c>null</c> when the key alone was checked (no transparency log).</param>
/// <param name="IdentityChecked">Whether the signer was held to the policy's identity or key.</param>
public sealed record VerifiedSignature(AttachedArtifact Signature, SignerInfo Signer, string? PredicateType, VerificationResult? Details, bool IdentityChecked)
{
    /// <summary>
    /// Who the signer is, for counting distinct signers (k-of-n): <c>identity:SAN|ISSUER</c> for a certificate (the
    /// ephemeral key does not make two signatures of one identity two signers), else <c>key:SHA256(SPKI)</c>.
    /// </summary>
    public string SignerId => Signer.SubjectAlternativeName is { } san
        ? "identity:" + san + "|" + Signer.Issuer
        : "key:" + Signer.PublicKeySha256;
}

/// <summary>The signatures of a set that verified under one policy, and those that did not (each with its code).</summary>
/// <param name="Verified">The verified signatures, in discovery order.</param>
/// <param name="Rejected">The rejected ones.</param>
public sealed record SignatureMatches(IReadOnlyList<VerifiedSignature> Verified, IReadOnlyList<RejectedSignature> Rejected);

/// <summary>
/// Every signature (or attestation of one predicate type) attached to one image digest, in both formats, each fetched
/// and parsed ONCE (<see cref="ImageVerifier.CollectAsync"/>); <see cref="Match"/> then decides them for any number of
/// policies without another request, and verifies each signature cryptographically at most once (keyless: once
/// without identity, then matched per identity; key-signed: once per key). A signature that cannot be read is one
/// rejected signature with its code, never an exception that hides the others. Thread-safe.
/// </summary>
public sealed class ImageSignatureSet
{
    internal ImageSignatureSet(string subjectDigest, string? predicateType, IReadOnlyList<SignatureCandidate> candidates)
    {
        SubjectDigest = subjectDigest;
        PredicateType = predicateType;
        Candidates = candidates;
    }

    /// <summary>The digest the signatures are attached to.</summary>
    public string SubjectDigest { get; }

    /// <summary>The attestation predicate type collected, or <c>null</c> for image signatures.</summary>
    public string? PredicateType { get; }

    /// <summary>How many signatures were found (read or not): 0 means unsigned.</summary>
    public int Found => Candidates.Count;

    internal IReadOnlyList<SignatureCandidate> Candidates { get; }

    /// <summary>Decides every signature of the set for <paramref name="policy"/>.</summary>
    /// <param name="policy">Who must have signed.</param>
    /// <param name="insecureIgnoreTransparencyLog">UNSAFE (cosign's <c>--insecure-ignore-tlog</c>): accept a key-signed signature without a log entry.</param>
    /// <returns>The verified and the rejected signatures.</returns>
    public SignatureMatches Match(VerificationPolicy policy, bool insecureIgnoreTransparencyLog = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var verified = new List<VerifiedSignature>();
        var rejected = new List<RejectedSignature>();
        foreach (SignatureCandidate candidate in Candidates)
        {
            SignatureCandidate.Outcome outcome = candidate.Verify(policy, insecureIgnoreTransparencyLog);
            if (outcome.Signer is { } signer)
            {
                verified.Add(new VerifiedSignature(candidate.Where, signer, outcome.PredicateType, outcome.Core, outcome.IdentityChecked));
            }
            else
            {
                rejected.Add(new RejectedSignature(candidate.Where.Location, outcome.Rejection!.Code, outcome.Rejection.Message));
            }
        }

        return new SignatureMatches(verified, rejected);
    }
}
