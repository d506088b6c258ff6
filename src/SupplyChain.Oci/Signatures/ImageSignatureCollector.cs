using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Gathers the signatures attached to one digest into an <see cref="ImageSignatureSet"/>: bundle referrers first,
/// then the legacy tag (<c>.sig</c>, or <c>.att</c> for an attestation type). Each is fetched and parsed once and bound
/// to the digest: the referrer's subject, the in-toto statement's subject or the simple-signing payload's digest must be
/// the digest (SC4403), the statement's predicate type the one asked for (SC4412). A signature that fails any of this is
/// one rejected candidate with its code; a registry failure propagates (a failed listing never reads as "unsigned").
/// </summary>
internal sealed class ImageSignatureCollector(ImageSignatureDiscovery discovery, SigstoreVerifier verifier)
{
    /// <summary>An exception a hostile signature may cause that is neither a coded failure nor a cancellation: SC4420 for that signature alone.</summary>
    public static bool IsUnexpected(Exception ex) =>
        ex is not (SupplyChainException or OperationCanceledException or OutOfMemoryException);

    /// <summary>Both formats: the bundle referrers, then the legacy tag.</summary>
    public async Task<ImageSignatureSet> CollectAsync(ImageReference subject, string? predicateType, CancellationToken cancellationToken)
    {
        ImageSignatureSet referrers = await CollectAsync(subject, predicateType, AttachmentFormat.Referrer, cancellationToken).ConfigureAwait(false);
        ImageSignatureSet legacy = await CollectAsync(subject, predicateType, AttachmentFormat.LegacyTag, cancellationToken).ConfigureAwait(false);
        return new ImageSignatureSet(referrers.SubjectDigest, predicateType, [.. referrers.Candidates, .. legacy.Candidates]);
    }

    /// <summary>One format only (<c>signcli verify</c> stops at the first format that has a match).</summary>
    public async Task<ImageSignatureSet> CollectAsync(ImageReference subject, string? predicateType, AttachmentFormat format, CancellationToken cancellationToken)
    {
        string digest = ImageSignatureDiscovery.RequireDigest(subject);
        string expectedType = predicateType ?? SignatureMediaTypes.CosignSignPredicateType;
        AttachedKind kind = predicateType is null ? AttachedKind.Signature : AttachedKind.Attestation;
        var candidates = new List<SignatureCandidate>();
        if (format == AttachmentFormat.LegacyTag)
        {
            await AddLegacyAsync(candidates, subject, digest, predicateType, kind, cancellationToken).ConfigureAwait(false);
            return new ImageSignatureSet(digest, predicateType, candidates);
        }

        foreach (OciDescriptor referrer in await discovery.BundleReferrersAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            if (referrer.Annotations?.GetValueOrDefault(SignatureMediaTypes.BundlePredicateTypeAnnotation) is { } listed && listed != expectedType)
            {
                continue;
            }

            var where = new AttachedArtifact(kind, AttachmentFormat.Referrer, referrer.Digest, digest, SignatureMediaTypes.SigstoreBundle, expectedType);
            candidates.Add(await ReadAsync(where, async () =>
            {
                (byte[] bytes, _) = await discovery.BundleAsync(subject, referrer, digest, predicateType is not null, cancellationToken).ConfigureAwait(false);
                SigstoreBundle bundle = SigstoreBundle.Parse(bytes);
                return bundle.DsseEnvelope is { } envelope
                    ? Envelope(where, bundle, envelope, digest, expectedType)
                    : throw OciErrors.BundleContentUnsupported.ToException("a message signature over an unknown payload");
            }).ConfigureAwait(false));
        }

        return new ImageSignatureSet(digest, predicateType, candidates);
    }

    private async Task AddLegacyAsync(List<SignatureCandidate> candidates, ImageReference subject, string digest, string? predicateType, AttachedKind kind, CancellationToken cancellationToken)
    {
        string tag = Digests.LegacyTag(digest, predicateType is null ? "sig" : "att");
        IReadOnlyList<OciDescriptor> layers = await discovery.LegacyLayersAsync(subject, tag, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < layers.Count; i++)
        {
            OciDescriptor layer = layers[i];
            if (predicateType is not null && layer.Annotations?.GetValueOrDefault(SignatureMediaTypes.LegacyPredicateTypeAnnotation) is { } listed && listed != predicateType)
            {
                continue;
            }

            var where = new AttachedArtifact(kind, AttachmentFormat.LegacyTag, $"{tag} layer {i}", digest, layer.MediaType, predicateType);
            candidates.Add(await ReadAsync(where, async () =>
            {
                byte[] content = await discovery.BlobAsync(subject, layer, predicateType is not null, cancellationToken).ConfigureAwait(false);
                return Legacy(where, layer, content, digest, predicateType);
            }).ConfigureAwait(false));
        }
    }

    /// <summary>Reads one signature; its own failure (a code, or anything unexpected: SC4420) makes it a rejected candidate, a registry failure propagates.</summary>
    private async Task<SignatureCandidate> ReadAsync(AttachedArtifact where, Func<Task<SignatureCandidate>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (SupplyChainException ex) when (ex is VerificationFailedException or MalformedInputException)
        {
            return SignatureCandidate.Rejected(where, verifier, ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            return SignatureCandidate.Rejected(where, verifier, OciErrors.SignatureUnprocessable.ToException(ex.GetType().Name, ex));
        }
    }

    private SignatureCandidate Legacy(AttachedArtifact where, OciDescriptor layer, byte[] content, string digest, string? predicateType)
    {
        IReadOnlyDictionary<string, string> annotations = layer.Annotations ?? new Dictionary<string, string>();
        bool isEnvelope = predicateType is not null;
        if (layer.MediaType != (isEnvelope ? SignatureMediaTypes.DsseEnvelope : SignatureMediaTypes.SimpleSigning))
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"layer media type '{layer.MediaType}'");
        }

        SigstoreBundle bundle = LegacySignatureLayer.ToBundle(annotations, content, isEnvelope);
        if (isEnvelope)
        {
            return Envelope(where, bundle, bundle.DsseEnvelope!, digest, predicateType!);
        }

        // The payload names the image; a signature over another digest's payload is not a signature of this one.
        if (SimpleSigningPayload.ReadDigest(content) != digest)
        {
            throw OciErrors.SignatureSubjectMismatch.ToException("the simple-signing payload's docker-manifest-digest differs");
        }

        return SignatureCandidate.SimpleSigning(where, verifier, bundle, content);
    }

    private SignatureCandidate Envelope(AttachedArtifact where, SigstoreBundle bundle, DsseEnvelope envelope, string digest, string expectedType)
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

        return SignatureCandidate.Envelope(where, verifier, bundle, digest, claimed.PredicateType);
    }
}
