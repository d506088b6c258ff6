using System.Runtime.InteropServices;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Finds what is attached to an image digest: bundle referrers (referrers API or tag-schema fallback) and legacy cosign
/// tags. Registry failures propagate as their own codes: a listing that failed is never read as "nothing attached".
/// Each manifest and blob is fetched by digest (the registry client checks it).
/// </summary>
public sealed class ImageSignatureDiscovery
{
    private static readonly string[] LegacySuffixes = ["sig", "att", "sbom"];

    private readonly IOciRegistry _registry;
    private readonly SignatureSizeLimits _limits;

    /// <summary>Creates a discovery over <paramref name="registry"/>, with the default size limits.</summary>
    /// <param name="registry">The registry client.</param>
    public ImageSignatureDiscovery(IOciRegistry registry)
        : this(registry, null)
    {
    }

    /// <summary>Creates a discovery over <paramref name="registry"/> that reads signatures and attestations within <paramref name="limits"/>.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="limits">The size limits; <see cref="SignatureSizeLimits.Default"/> when null; <c>SC4432</c> when invalid.</param>
    public ImageSignatureDiscovery(IOciRegistry registry, SignatureSizeLimits? limits)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _limits = (limits ?? SignatureSizeLimits.Default).Validated();
    }

    /// <summary>Lists every artifact attached to <paramref name="image"/>'s digest, in both formats (for <c>signcli tree</c>).</summary>
    /// <param name="image">The image; must carry a digest (SC4415).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The attached artifacts: referrers first, then legacy tag layers.</returns>
    public async Task<IReadOnlyList<AttachedArtifact>> ListAsync(ImageReference image, CancellationToken cancellationToken = default)
    {
        string digest = RequireDigest(image);
        var result = new List<AttachedArtifact>();
        foreach (OciDescriptor referrer in await _registry.ListReferrersAsync(image, null, cancellationToken).ConfigureAwait(false))
        {
            string? predicateType = Annotation(referrer, SignatureMediaTypes.BundlePredicateTypeAnnotation);
            if (referrer.ArtifactType == SignatureMediaTypes.SigstoreBundle && referrer.Annotations is null)
            {
                // A listing without annotations: the referrer manifest says.
                FetchedManifest? manifest = await _registry.TryGetManifestAsync(image.WithDigest(referrer.Digest), cancellationToken).ConfigureAwait(false);
                predicateType = manifest is null ? null : ManifestDocument.Parse(manifest.Content).Annotations?.GetValueOrDefault(SignatureMediaTypes.BundlePredicateTypeAnnotation);
            }

            string type = referrer.ArtifactType ?? referrer.MediaType;
            result.Add(new AttachedArtifact(ClassifyReferrer(type, predicateType), AttachmentFormat.Referrer, referrer.Digest, digest, type, predicateType));
        }

        foreach (string suffix in LegacySuffixes)
        {
            string tag = Digests.LegacyTag(digest, suffix);
            IReadOnlyList<OciDescriptor> layers = await LegacyLayersAsync(image, tag, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < layers.Count; i++)
            {
                AttachedKind kind = suffix switch { "sig" => AttachedKind.Signature, "att" => AttachedKind.Attestation, _ => AttachedKind.Sbom };
                result.Add(new AttachedArtifact(kind, AttachmentFormat.LegacyTag, $"{tag} layer {i}", digest, layers[i].MediaType, Annotation(layers[i], SignatureMediaTypes.LegacyPredicateTypeAnnotation)));
            }
        }

        return result;
    }

    /// <summary>The bundle referrers of <paramref name="subject"/> (its digest), capped at the limit.</summary>
    internal async Task<IReadOnlyList<OciDescriptor>> BundleReferrersAsync(ImageReference subject, CancellationToken cancellationToken)
    {
        IReadOnlyList<OciDescriptor> referrers = await _registry.ListReferrersAsync(subject, SignatureMediaTypes.SigstoreBundle, cancellationToken).ConfigureAwait(false);

        // The filter is a hint to the registry (distribution-spec: it MAY ignore artifactType): filter again.
        return Cap(referrers.Where(r => r.ArtifactType is null or SignatureMediaTypes.SigstoreBundle).ToList());
    }

    /// <summary>
    /// The bundle a referrer carries: the manifest (by digest) must be a bundle artifact whose subject is
    /// <paramref name="subjectDigest"/> (SC4403 otherwise) with one bundle layer, embedded in <c>data</c> or fetched,
    /// whose declared size is within the limit for a signature or an <paramref name="attestation"/> (SC4430/SC4431,
    /// checked before the blob is downloaded).
    /// </summary>
    internal async Task<(byte[] Bundle, string? PredicateType)> BundleAsync(ImageReference repository, OciDescriptor referrer, string subjectDigest, bool attestation, CancellationToken cancellationToken)
    {
        FetchedManifest manifest = await _registry.TryGetManifestAsync(repository.WithDigest(referrer.Digest), cancellationToken).ConfigureAwait(false)
            ?? throw OciErrors.SignatureManifestMalformed.ToException($"referrer {referrer.Digest} is listed but its manifest does not exist");
        ManifestDocument document = ManifestDocument.Parse(manifest.Content);

        // OCI image-spec manifest.md: "subject ... specifies a descriptor of another manifest"; the signature binds to it.
        if (document.Subject?.Digest != subjectDigest)
        {
            throw OciErrors.SignatureSubjectMismatch.ToException($"referrer {referrer.Digest} has subject {document.Subject?.Digest ?? "(none)"}");
        }

        if ((document.ArtifactType ?? document.Config?.Descriptor.MediaType) != SignatureMediaTypes.SigstoreBundle || document.Layers.Count != 1 || document.Layers[0].Descriptor.MediaType != SignatureMediaTypes.SigstoreBundle)
        {
            throw OciErrors.SignatureManifestMalformed.ToException($"referrer {referrer.Digest} is not a bundle artifact with one bundle layer");
        }

        ManifestEntry layer = document.Layers[0];
        CheckSize(layer.Descriptor, attestation);
        string? predicateType = document.Annotations?.GetValueOrDefault(SignatureMediaTypes.BundlePredicateTypeAnnotation);
        return (layer.Data ?? await BlobAsync(repository, layer.Descriptor, attestation, cancellationToken).ConfigureAwait(false), predicateType);
    }

    /// <summary>The layers of a legacy tag, or none when the tag does not exist (a 404, never an error).</summary>
    internal async Task<IReadOnlyList<OciDescriptor>> LegacyLayersAsync(ImageReference repository, string tag, CancellationToken cancellationToken)
    {
        FetchedManifest? manifest = await _registry.TryGetManifestAsync(repository.WithTag(tag), cancellationToken).ConfigureAwait(false);
        return manifest is null ? [] : Cap(ManifestDocument.Parse(manifest.Content).Layers.Select(l => l.Descriptor).ToList());
    }

    /// <summary>
    /// A signature or <paramref name="attestation"/> layer's bytes: its declared size checked against the limit before the
    /// download (SC4430/SC4431), the download read into one buffer of that size (the registry client stops there).
    /// </summary>
    internal async Task<byte[]> BlobAsync(ImageReference repository, OciDescriptor layer, bool attestation, CancellationToken cancellationToken)
    {
        CheckSize(layer, attestation);
        ReadOnlyMemory<byte> content = await _registry.GetBlobAsync(repository, layer, cancellationToken).ConfigureAwait(false);

        // The client hands out the array it read into; a copy only when it is a slice of a larger one.
        return MemoryMarshal.TryGetArray(content, out ArraySegment<byte> whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length
            ? whole.Array
            : content.ToArray();
    }

    private void CheckSize(OciDescriptor layer, bool attestation)
    {
        long limit = _limits.For(attestation);
        if (layer.Size > limit)
        {
            throw (attestation ? OciErrors.AttestationOverSizeLimit : OciErrors.SignatureOverSizeLimit)
                .ToException($"{layer.Digest}: {layer.Size} bytes declared, limit {limit}");
        }
    }

    /// <summary>The digest of <paramref name="image"/>, or SC4415.</summary>
    internal static string RequireDigest(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Digest is { } digest && Digests.IsSha256(digest) ? digest : throw OciErrors.DigestRequired.ToException(image.ToString());
    }

    private static List<OciDescriptor> Cap(List<OciDescriptor> list) =>
        list.Count <= Limits.MaxSignaturesPerImage ? list : throw OciErrors.SignatureTooLarge.ToException($"{list.Count} signatures, limit {Limits.MaxSignaturesPerImage}");

    private static string? Annotation(OciDescriptor descriptor, string key) => descriptor.Annotations?.GetValueOrDefault(key);

    private static AttachedKind ClassifyReferrer(string type, string? predicateType) =>
        type == SignatureMediaTypes.SigstoreBundle ? (predicateType is null or SignatureMediaTypes.CosignSignPredicateType ? AttachedKind.Signature : AttachedKind.Attestation)
        : type.Contains("spdx", StringComparison.OrdinalIgnoreCase) || type.Contains("cyclonedx", StringComparison.OrdinalIgnoreCase) ? AttachedKind.Sbom
        : AttachedKind.Other;
}
