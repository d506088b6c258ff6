using System.Security.Cryptography;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Verifies that an image digest is signed (or attested) by whom a policy names, from the signatures attached to it in
/// either format. Bundle referrers are tried first (a listing, the referrer manifest whose layer embeds the bundle: two
/// requests for <c>IMAGE@digest</c>), then the legacy tag. Every signature is bound to the digest: the referrer's subject,
/// the in-toto statement's subject or the simple-signing payload's digest must be the verified digest (SC4403).
/// Outcomes: a result, or SC4401 (nothing attached), SC4402 (none verifies; each one's code listed), or the registry's own
/// error (a failed listing never reads as "unsigned"). Built once, thread-safe.
/// </summary>
public sealed class ImageVerifier
{
    private readonly IOciRegistry _registry;
    private readonly ImageSignatureDiscovery _discovery;
    private readonly SigstoreVerifier _verifier;

    /// <summary>Creates a verifier.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="trust">The trusted material bundles are verified against.</param>
    /// <param name="options">Core's thresholds; the defaults when null.</param>
    public ImageVerifier(IOciRegistry registry, ITrustedMaterial trust, VerifierOptions? options = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _discovery = new ImageSignatureDiscovery(registry);
        _verifier = new SigstoreVerifier(trust, options);
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
            FetchedManifest index = await _registry.TryGetManifestAsync(image.WithDigest(digest), cancellationToken).ConfigureAwait(false)
                ?? throw OciErrors.PlatformNotFound.ToException($"{digest} does not exist");
            string platformDigest = PlatformManifests.Find(index, platform).Digest;
            candidates = [platformDigest, digest];
        }

        string expectedType = request.PredicateType ?? SignatureMediaTypes.CosignSignPredicateType;
        var rejected = new List<RejectedSignature>();
        int found = 0;
        foreach (string candidate in candidates)
        {
            ImageReference subject = image.WithDigest(candidate);
            foreach (OciDescriptor referrer in await _discovery.BundleReferrersAsync(subject, cancellationToken).ConfigureAwait(false))
            {
                if (referrer.Annotations?.GetValueOrDefault(SignatureMediaTypes.BundlePredicateTypeAnnotation) is { } listed && listed != expectedType)
                {
                    continue;
                }

                found++;
                var where = new AttachedArtifact(Kind(request), AttachmentFormat.Referrer, referrer.Digest, candidate, SignatureMediaTypes.SigstoreBundle, expectedType);
                Verified? match = await TryAsync(where, rejected, async () =>
                {
                    (byte[] bundle, _) = await _discovery.BundleAsync(subject, referrer, candidate, cancellationToken).ConfigureAwait(false);
                    return VerifyBundle(SigstoreBundle.Parse(bundle), candidate, expectedType, request);
                }).ConfigureAwait(false);
                if (match is not null)
                {
                    return Result(candidates[0], where, match.Value, rejected);
                }
            }

            string tag = Digests.LegacyTag(candidate, request.PredicateType is null ? "sig" : "att");
            IReadOnlyList<OciDescriptor> layers = await _discovery.LegacyLayersAsync(subject, tag, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < layers.Count; i++)
            {
                OciDescriptor layer = layers[i];
                if (request.PredicateType is not null && layer.Annotations?.GetValueOrDefault(SignatureMediaTypes.LegacyPredicateTypeAnnotation) is { } listed && listed != expectedType)
                {
                    continue;
                }

                found++;
                var where = new AttachedArtifact(Kind(request), AttachmentFormat.LegacyTag, $"{tag} layer {i}", candidate, layer.MediaType, request.PredicateType);
                Verified? match = await TryAsync(where, rejected, async () =>
                {
                    byte[] content = await _discovery.BlobAsync(subject, layer, cancellationToken).ConfigureAwait(false);
                    return VerifyLegacy(layer, content, candidate, request);
                }).ConfigureAwait(false);
                if (match is not null)
                {
                    return Result(candidates[0], where, match.Value, rejected);
                }
            }
        }

        if (found == 0)
        {
            throw OciErrors.NoSignaturesFound.ToException($"{image.WithDigest(digest)}: no {(request.PredicateType is null ? "signature" : "attestation of type " + request.PredicateType)} in either format");
        }

        throw OciErrors.NoSignatureMatched.ToException(string.Join("; ", rejected.Select(r => $"{r.Location}: {r.Reason}")));
    }

    private static AttachedKind Kind(ImageVerificationRequest request) => request.PredicateType is null ? AttachedKind.Signature : AttachedKind.Attestation;

    private static ImageVerificationResult Result(string imageDigest, AttachedArtifact where, Verified verified, List<RejectedSignature> rejected) =>
        new(imageDigest, where.SubjectDigest, where, verified.Signer, verified.PredicateType, verified.Core, rejected);

    /// <summary>Runs one signature's checks; a verification or malformed-input failure rejects it, anything else (registry, trust root) propagates.</summary>
    private static async Task<Verified?> TryAsync(AttachedArtifact where, List<RejectedSignature> rejected, Func<Task<Verified>> check)
    {
        try
        {
            return await check().ConfigureAwait(false);
        }
        catch (SupplyChainException ex) when (ex is VerificationFailedException or MalformedInputException)
        {
            rejected.Add(new RejectedSignature(where.Location, ex.Code, ex.Message));
            return null;
        }
    }

    private Verified VerifyBundle(SigstoreBundle bundle, string digest, string expectedType, ImageVerificationRequest request)
    {
        if (bundle.DsseEnvelope is not { } envelope)
        {
            throw OciErrors.BundleContentUnsupported.ToException("a message signature over an unknown payload");
        }

        return VerifyEnvelope(bundle, envelope, digest, expectedType, request);
    }

    private Verified VerifyLegacy(OciDescriptor layer, byte[] content, string digest, ImageVerificationRequest request)
    {
        IReadOnlyDictionary<string, string> annotations = layer.Annotations ?? new Dictionary<string, string>();
        bool isEnvelope = request.PredicateType is not null;
        if (layer.MediaType != (isEnvelope ? SignatureMediaTypes.DsseEnvelope : SignatureMediaTypes.SimpleSigning))
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"layer media type '{layer.MediaType}'");
        }

        byte[] bundleJson = LegacySignatureLayer.ToBundle(annotations, content, isEnvelope);
        if (isEnvelope)
        {
            SigstoreBundle bundle = SigstoreBundle.Parse(bundleJson);
            return VerifyEnvelope(bundle, bundle.DsseEnvelope!, digest, request.PredicateType!, request);
        }

        // The payload names the image; a signature over another digest's payload is not a signature of this one.
        if (SimpleSigningPayload.ReadDigest(content) != digest)
        {
            throw OciErrors.SignatureSubjectMismatch.ToException("the simple-signing payload's docker-manifest-digest differs");
        }

        if (!LegacySignatureLayer.HasCertificateOrLog(annotations))
        {
            PublicKeyVerifier key = RequireKeyWithoutLog(request);
            return key.VerifyData(content, LegacySignatureLayer.Signature(annotations))
                ? new Verified(KeySigner(key), null, null)
                : throw OciErrors.SignatureInvalid.ToException();
        }

        VerificationResult result = _verifier.Verify(SigstoreBundle.Parse(bundleJson), Artifact.FromBytes(content), request.Policy);
        return new Verified(result.Signer, null, result);
    }

    private Verified VerifyEnvelope(SigstoreBundle bundle, DsseEnvelope envelope, string digest, string expectedType, ImageVerificationRequest request)
    {
        // Checked before the signature so that a bundle for image A attached to image B fails with its own code.
        InTotoStatement claimed = InTotoStatement.Parse(envelope.Payload.Span);
        if (claimed.FindSubject("sha256", Digests.Bytes(digest)) is null)
        {
            throw OciErrors.SignatureSubjectMismatch.ToException($"the statement's subject is not {digest}");
        }

        if (claimed.PredicateType != expectedType)
        {
            throw OciErrors.PredicateTypeMismatch.ToException($"'{claimed.PredicateType}', expected '{expectedType}'");
        }

        if (!bundle.VerificationMaterial.HasCertificate && bundle.VerificationMaterial.TlogEntries.Count == 0)
        {
            PublicKeyVerifier key = RequireKeyWithoutLog(request);
            if (envelope.Signatures.Count != 1 || !key.VerifyData(Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload.Span), envelope.Signatures[0].Signature.Span))
            {
                throw OciErrors.SignatureInvalid.ToException("the DSSE signature");
            }

            if (request.Requirements is { Any: true })
            {
                throw CoreErrors.AttestationNeedsCertificate.ToException("a key-signed attestation without a log entry");
            }

            return new Verified(KeySigner(key), claimed.PredicateType, null);
        }

        VerificationResult result = _verifier.Verify(bundle, Artifact.FromDigest(HashAlgorithmName.SHA256, Digests.Bytes(digest)), request.Policy);

        // Source and builder requirements select among the attestations: one that fails them is rejected like a bad signature.
        if (request.Requirements is { Any: true } requirements)
        {
            _ = AttestationChecker.Enforce(result, requirements);
        }

        return new Verified(result.Signer, result.Statement?.PredicateType, result);
    }

    /// <summary>A key-signed signature without a log entry verifies only with a key and the explicit opt-out (fail closed).</summary>
    private static PublicKeyVerifier RequireKeyWithoutLog(ImageVerificationRequest request)
    {
        if (request.Policy.PublicKey is not { } key)
        {
            throw OciErrors.TransparencyLogRequired.ToException("a signature without certificate or log entry verifies only with a key");
        }

        return request.InsecureIgnoreTransparencyLog
            ? key
            : throw OciErrors.TransparencyLogRequired.ToException("the signature has no transparency-log entry (cosign's --insecure-ignore-tlog accepts it with the key alone)");
    }

    private static SignerInfo KeySigner(PublicKeyVerifier key) =>
        new(null, null, new Dictionary<string, string>(), Convert.ToHexStringLower(SHA256.HashData(key.SubjectPublicKeyInfo.Span)));

    private readonly record struct Verified(SignerInfo Signer, string? PredicateType, VerificationResult? Core);
}
