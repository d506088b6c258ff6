using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evidence;

/// <summary>
/// The <see cref="ISignatureEvidenceSource"/> over the OCI signature layer: for each authority it runs
/// <see cref="ImageVerifier"/> (bundle referrers, then the legacy cosign tag) with that authority's Core
/// <see cref="PolicyAuthority.Policy"/> on the platform manifest's digest, then on the index it was resolved from (a
/// signature on the index covers its manifests). "Found" and "verified" are told apart: <c>SC4401</c> (nothing attached)
/// counts no signature, <c>SC4402</c> (attached, none verifies under this authority) counts what was attached but no
/// signer. Every other failure (registry, trust root) propagates with its code: a failed listing never reads as
/// "unsigned". Key-signed signatures must carry a transparency-log entry (no <c>--insecure-ignore-tlog</c> here).
/// Thread-safe; the registry client's digest cache makes the second authority's reads cheap.
/// </summary>
public sealed class OciSignatureEvidenceSource : ISignatureEvidenceSource
{
    private readonly ImageVerifier _verifier;
    private readonly ImageSignatureDiscovery _discovery;

    /// <summary>Creates the source.</summary>
    /// <param name="registry">The registry client (it checks every digest it reads).</param>
    /// <param name="trust">The trusted material signatures are verified against (Fulcio CAs, logs, TSAs).</param>
    /// <param name="options">Core's thresholds; the defaults when null.</param>
    public OciSignatureEvidenceSource(IOciRegistry registry, ITrustedMaterial trust, VerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(trust);
        _verifier = new ImageVerifier(registry, trust, options);
        _discovery = new ImageSignatureDiscovery(registry);
    }

    /// <inheritdoc/>
    public async Task<SignatureEvidence> GetSignaturesAsync(EvidenceSubject subject, IReadOnlyList<PolicyAuthority> authorities, CancellationToken cancellationToken = default)
    {
        (IReadOnlyList<VerifiedSigner> signers, bool anyFound) = await VerifyEachAsync(subject, null, authorities, cancellationToken).ConfigureAwait(false);
        int found = signers.Count > 0 || !anyFound ? signers.Count : await CountSignaturesAsync(subject, cancellationToken).ConfigureAwait(false);
        return new SignatureEvidence(found, signers);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<VerifiedAttestation>> GetAttestationsAsync(EvidenceSubject subject, string predicateType, IReadOnlyList<PolicyAuthority> authorities, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(predicateType);
        (IReadOnlyList<VerifiedSigner> signers, _) = await VerifyEachAsync(subject, predicateType, authorities, cancellationToken).ConfigureAwait(false);
        return signers.Select(s => new VerifiedAttestation(predicateType, s.AuthorityName, s.Identity, s.SignedDigest)).ToList();
    }

    /// <summary>Each authority's verified signer (on the manifest, else on its index), and whether anything was attached at all.</summary>
    private async Task<(IReadOnlyList<VerifiedSigner> Signers, bool AnyFound)> VerifyEachAsync(EvidenceSubject subject, string? predicateType, IReadOnlyList<PolicyAuthority> authorities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(authorities);
        string[] digests = SubjectDigests(subject);
        var signers = new List<VerifiedSigner>();
        bool anyFound = false;
        foreach (PolicyAuthority authority in authorities)
        {
            foreach (string digest in digests)
            {
                var request = new ImageVerificationRequest { Policy = authority.Policy, PredicateType = predicateType };
                try
                {
                    ImageVerificationResult result = await _verifier.VerifyAsync(subject.Image.WithDigest(digest), request, cancellationToken).ConfigureAwait(false);
                    signers.Add(new VerifiedSigner(authority.Name, Identity(result.Signer), result.MatchedDigest));
                    anyFound = true;
                    break;
                }
                catch (SupplyChainException ex) when (ex.Error == OciErrors.NoSignaturesFound)
                {
                    // Nothing attached to this digest: neither found nor verified.
                }
                catch (SupplyChainException ex) when (ex.Error == OciErrors.NoSignatureMatched)
                {
                    // Attached, but not by this authority (another key, another identity, a bad signature).
                    anyFound = true;
                }
            }
        }

        return (signers, anyFound);
    }

    /// <summary>How many image signatures are attached to the manifest and its index (only asked when none verified).</summary>
    private async Task<int> CountSignaturesAsync(EvidenceSubject subject, CancellationToken cancellationToken)
    {
        int count = 0;
        foreach (string digest in SubjectDigests(subject))
        {
            IReadOnlyList<AttachedArtifact> attached = await _discovery.ListAsync(subject.Image.WithDigest(digest), cancellationToken).ConfigureAwait(false);
            count += attached.Count(a => a.Kind == AttachedKind.Signature);
        }

        return Math.Max(count, 1);
    }

    /// <summary>The manifest's digest, then its index's (a signature on the index covers the manifest).</summary>
    private static string[] SubjectDigests(EvidenceSubject subject) =>
        subject.IndexDigest is { } index ? [subject.Digest, index] : [subject.Digest];

    /// <summary>The signer for display: <c>identity (issuer)</c> of a certificate, or the key's SHA-256; never the certificate itself.</summary>
    private static string Identity(SignerInfo signer) =>
        signer.SubjectAlternativeName is { } san ? $"{san} ({signer.Issuer})" : "key sha256:" + signer.PublicKeySha256;
}
