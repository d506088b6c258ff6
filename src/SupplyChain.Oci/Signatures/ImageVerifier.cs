using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Verifies that an image digest is signed (or attested) by whom a policy names, from the signatures attached to it in
/// either format. <see cref="CollectAsync"/> gathers every signature attached to one digest (bundle referrers, then the
/// legacy tag), each fetched and parsed once and bound to the digest (SC4403, SC4412); the set then decides them for
/// any number of policies. <see cref="VerifyAsync"/> is the one-policy form (<c>signcli verify</c>). Outcomes: a result,
/// or SC4401 (nothing attached), SC4402 (none verifies; each one's code listed), or the registry's own error (a failed
/// listing never reads as "unsigned"). A malformed signature is one rejected signature, never an exception that hides
/// the others. Built once, thread-safe.
/// </summary>
public sealed class ImageVerifier
{
    private readonly IOciRegistry _registry;
    private readonly ImageSignatureCollector _collector;

    /// <summary>Creates a verifier.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="trust">The trusted material bundles are verified against.</param>
    /// <param name="options">Core's thresholds; the defaults when null.</param>
    public ImageVerifier(IOciRegistry registry, ITrustedMaterial trust, VerifierOptions? options = null)
        : this(registry, trust, options, null)
    {
    }

    /// <summary>Creates a verifier that reads signatures and attestations within <paramref name="sizeLimits"/>.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="trust">The trusted material bundles are verified against.</param>
    /// <param name="options">Core's thresholds; the defaults when null.</param>
    /// <param name="sizeLimits">The size limits (SC4430/SC4431 skip a signature over them); <see cref="SignatureSizeLimits.Default"/> when null.</param>
    public ImageVerifier(IOciRegistry registry, ITrustedMaterial trust, VerifierOptions? options, SignatureSizeLimits? sizeLimits)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _collector = new ImageSignatureCollector(new ImageSignatureDiscovery(registry, sizeLimits), new SigstoreVerifier(trust, options));
    }

    /// <summary>
    /// Gathers every image signature (or, with <paramref name="predicateType"/>, every attestation of that type) attached to
    /// <paramref name="subject"/>'s digest: each fetched and parsed once, ready to be matched against any number of policies.
    /// </summary>
    /// <param name="subject">The image; must carry a digest (SC4415).</param>
    /// <param name="predicateType">The attestation type, or <c>null</c> for image signatures.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The set (empty when nothing is attached).</returns>
    public Task<ImageSignatureSet> CollectAsync(ImageReference subject, string? predicateType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return _collector.CollectAsync(subject, predicateType, cancellationToken);
    }

    /// <summary>Verifies <paramref name="image"/> (a tag is resolved first) for <paramref name="request"/>.</summary>
    /// <param name="image">The image; with a digest no resolve request is made.</param>
    /// <param name="request">The policy, and the attestation type or platform.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>What verified.</returns>
    public async Task<ImageVerificationResult> VerifyAsync(ImageReference image, ImageVerificationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        string digest = image.Digest ?? (await _registry.ResolveAsync(image, cancellationToken).ConfigureAwait(false)).Digest;
        _ = Digests.Bytes(digest);
        List<string> candidates = [digest];
        if (request.Platform is { } platform)
        {
            // The platform's manifest, then the index: a signature on the index covers the manifests it lists.
            FetchedManifest index = await _registry.TryGetManifestAsync(image.WithDigest(digest), cancellationToken).ConfigureAwait(false)
                ?? throw OciErrors.PlatformNotFound.ToException($"{digest} does not exist");
            string platformDigest = PlatformManifests.Find(index, platform).Digest;
            candidates = [platformDigest, digest];
        }

        var rejected = new List<RejectedSignature>();
        int found = 0;
        foreach (string candidate in candidates)
        {
            // Referrers first (a listing and the referrer manifest: two requests for a signed digest), then the legacy tag.
            foreach (AttachmentFormat format in (AttachmentFormat[])[AttachmentFormat.Referrer, AttachmentFormat.LegacyTag])
            {
                ImageSignatureSet set = await _collector.CollectAsync(image.WithDigest(candidate), request.PredicateType, format, cancellationToken).ConfigureAwait(false);
                found += set.Found;
                SignatureMatches matches = set.Match(request.Policy, request.IgnoreTransparencyLogUnsafe);
                rejected.AddRange(matches.Rejected);
                if (FirstMeetingRequirements(matches.Verified, request.Requirements, rejected) is { } match)
                {
                    return new ImageVerificationResult(candidates[0], candidate, match.Signature, match.Signer, match.PredicateType, match.Details, match.IdentityChecked, rejected);
                }
            }
        }

        if (found == 0)
        {
            throw OciErrors.NoSignaturesFound.ToException($"{image.WithDigest(digest)}: no {(request.PredicateType is null ? "signature" : "attestation of type " + request.PredicateType)} in either format");
        }

        throw OciErrors.NoSignatureMatched.ToException(string.Join("; ", rejected.Select(r => $"{r.Location}: {r.Reason}")));
    }

    /// <summary>
    /// The first verified signature that meets the source and builder requirements (<see cref="AttestationChecker"/>);
    /// one that fails them is rejected with its code, like a bad signature, and the next one is tried.
    /// </summary>
    private static VerifiedSignature? FirstMeetingRequirements(IReadOnlyList<VerifiedSignature> verified, AttestationRequirements? requirements, List<RejectedSignature> rejected)
    {
        foreach (VerifiedSignature signature in verified)
        {
            if (requirements is not { Any: true })
            {
                return signature;
            }

            try
            {
                // A key-signed attestation without a log entry has no verified result, and no certificate to check.
                VerificationResult result = signature.Details ?? throw CoreErrors.AttestationNeedsCertificate.ToException("a key-signed attestation without a log entry");
                _ = AttestationChecker.Enforce(result, requirements);
                return signature;
            }
            catch (SupplyChainException ex) when (ex is VerificationFailedException or MalformedInputException)
            {
                rejected.Add(new RejectedSignature(signature.Signature.Location, ex.Code, ex.Message));
            }
        }

        return null;
    }
}
