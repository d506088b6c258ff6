using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evidence;

/// <summary>
/// The <see cref="ISignatureEvidenceSource"/> over the OCI signature layer: <see cref="ImageVerifier.CollectAsync"/>
/// gathers what is attached to a digest (bundle referrers, then the legacy cosign tag), each signature fetched and
/// parsed once; each authority's Core <see cref="PolicyAuthority.Policy"/> is then matched against the set (a keyless
/// signature verified once without identity and matched per identity; a key-signed one once per key). Registry and
/// trust-root failures propagate with their codes: a failed listing never reads as "unsigned". Key-signed signatures
/// must carry a transparency-log entry (no <c>--insecure-ignore-tlog</c> here). Thread-safe.
/// </summary>
public sealed class OciSignatureEvidenceSource : ISignatureEvidenceSource
{
    private readonly ImageVerifier _verifier;

    /// <summary>Creates the source.</summary>
    /// <param name="registry">The registry client (it checks every digest it reads).</param>
    /// <param name="trust">The trusted material signatures are verified against (Fulcio CAs, logs, TSAs).</param>
    /// <param name="options">Core's thresholds; the defaults when null.</param>
    public OciSignatureEvidenceSource(IOciRegistry registry, ITrustedMaterial trust, VerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(trust);
        _verifier = new ImageVerifier(registry, trust, options);
    }

    /// <inheritdoc/>
    public async Task<IDigestEvidence> CollectAsync(ImageReference subject, string? predicateType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ImageSignatureSet set = await _verifier.CollectAsync(subject, predicateType, cancellationToken).ConfigureAwait(false);
        return new SetEvidence(set);
    }

    /// <summary>The signer for display: <c>identity (issuer)</c> of a certificate, or the key's SHA-256; never the certificate itself.</summary>
    private static string Identity(SignerInfo signer) =>
        signer.SubjectAlternativeName is { } san ? $"{san} ({signer.Issuer})" : "key sha256:" + signer.PublicKeySha256;

    private sealed class SetEvidence(ImageSignatureSet set) : IDigestEvidence
    {
        public string Digest => set.SubjectDigest;

        public int Found => set.Found;

        public EvidenceMatch Match(PolicyAuthority authority)
        {
            ArgumentNullException.ThrowIfNull(authority);
            SignatureMatches matches = set.Match(authority.Policy);
            var verified = matches.Verified
                .Select(v => new EvidenceSigner(v.SignerId, Identity(v.Signer), set.SubjectDigest) { Details = v.Details })
                .ToList();
            return new EvidenceMatch(verified.DistinctBy(s => s.SignerId, StringComparer.Ordinal).ToList(), matches.Rejected) { Verified = verified };
        }
    }
}
