using System.Security.Cryptography;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// Attaches signed bundles to an image: as an OCI 1.1 referrer (cosign 3's layout), or in the legacy cosign format
/// (<c>sha256-&lt;hex&gt;.sig</c> / <c>.att</c> tags, for skopeo and cosign 2). Blobs are always pushed before the
/// manifest that names them, so an interrupted attach leaves nothing dangling and re-running completes it.
/// Thread-safe when the registry is.
/// </summary>
public sealed class ImageSignatureAttacher
{
    private readonly IOciRegistry _registry;
    private readonly TimeProvider _time;
    private readonly TimeSpan _settleDelay;

    /// <summary>Creates an attacher.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="time">The clock for the <c>org.opencontainers.image.created</c> annotation and the settle delay; the system clock when null.</param>
    /// <param name="legacySettleDelay">
    /// How long after rewriting a legacy tag the attacher reads it back to check that no concurrent writer replaced it
    /// (distribution 2.8 has no conditional PUT); 200 ms when null. Must exceed a read-modify-write round trip.
    /// </param>
    public ImageSignatureAttacher(IOciRegistry registry, TimeProvider? time = null, TimeSpan? legacySettleDelay = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _time = time ?? TimeProvider.System;
        _settleDelay = legacySettleDelay ?? TimeSpan.FromMilliseconds(200);
    }

    /// <summary>Pushes <paramref name="bundle"/> as a referrer of <paramref name="subject"/> (artifact type <see cref="SignatureMediaTypes.SigstoreBundle"/>).</summary>
    /// <param name="repository">The image's repository.</param>
    /// <param name="subject">The signed manifest's descriptor (media type, digest, size).</param>
    /// <param name="bundle">The bundle JSON (v0.3).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The referrer manifest's descriptor.</returns>
    public async Task<OciDescriptor> AttachBundleAsync(ImageReference repository, OciDescriptor subject, ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(subject);
        SigstoreBundle parsed = SigstoreBundle.Parse(bundle.Span);
        string content = parsed.DsseEnvelope is null ? "message-signature" : "dsse-envelope";
        string? predicateType = PredicateTypeOf(parsed);

        await _registry.PushBlobAsync(repository, OciMediaTypes.Empty, SignatureManifests.EmptyJson, cancellationToken).ConfigureAwait(false);
        await _registry.PushBlobAsync(repository, SignatureMediaTypes.SigstoreBundle, bundle, cancellationToken).ConfigureAwait(false);
        byte[] manifest = SignatureManifests.BundleReferrer(subject, bundle.Span, content, predicateType, _time.GetUtcNow());
        return await _registry.PushReferrerAsync(repository, OciMediaTypes.ImageManifest, manifest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends <paramref name="bundle"/> as a layer of the legacy <c>sha256-&lt;hex&gt;.sig</c> manifest (a message signature over
    /// <paramref name="simpleSigningPayload"/>) or <c>.att</c> manifest (a DSSE envelope): read-modify-write, blobs first, and
    /// read back to confirm the layer survived a concurrent writer (retried, then SC4416). Re-running with the same layer is a no-op.
    /// </summary>
    /// <param name="repository">The image's repository.</param>
    /// <param name="subjectDigest">The signed manifest's digest.</param>
    /// <param name="bundle">The bundle JSON.</param>
    /// <param name="simpleSigningPayload">For a message signature: the simple-signing payload it signs; ignored for DSSE.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The legacy manifest's descriptor.</returns>
    public async Task<OciDescriptor> AttachLegacyAsync(ImageReference repository, string subjectDigest, ReadOnlyMemory<byte> bundle, ReadOnlyMemory<byte> simpleSigningPayload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(subjectDigest);
        _ = Digests.Bytes(subjectDigest);
        SigstoreBundle parsed = SigstoreBundle.Parse(bundle.Span);
        byte[] content;
        string mediaType;
        if (parsed.DsseEnvelope is { } envelope)
        {
            content = LegacySignatureLayer.Envelope(envelope);
            mediaType = SignatureMediaTypes.DsseEnvelope;
        }
        else
        {
            content = simpleSigningPayload.ToArray();
            if (parsed.MessageSignature!.Digest is { } digest && !digest.Span.SequenceEqual(SHA256.HashData(content)))
            {
                throw OciErrors.SignatureSubjectMismatch.ToException("the bundle's message digest is not the simple-signing payload's");
            }

            if (SimpleSigningPayload.ReadDigest(content) != subjectDigest)
            {
                throw OciErrors.SignatureSubjectMismatch.ToException("the simple-signing payload names another digest");
            }

            mediaType = SignatureMediaTypes.SimpleSigning;
        }

        var layer = new OciDescriptor(mediaType, Digests.Sha256(content), content.Length)
        {
            Annotations = LegacySignatureLayer.Annotations(parsed, PredicateTypeOf(parsed)),
        };
        ImageReference tag = repository.WithTag(Digests.LegacyTag(subjectDigest, parsed.DsseEnvelope is null ? "sig" : "att"));
        await _registry.PushBlobAsync(repository, mediaType, content, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; attempt < Limits.MaxLegacyAttachAttempts; attempt++)
        {
            FetchedManifest? existing = await _registry.TryGetManifestAsync(tag, cancellationToken).ConfigureAwait(false);
            List<OciDescriptor> layers = existing is null ? [] : ManifestDocument.Parse(existing.Content).Layers.Select(l => l.Descriptor).ToList();
            if (existing is not null && layers.Any(l => SameLayer(l, layer)))
            {
                return existing.Descriptor;
            }

            layers.Add(layer);
            (byte[] manifest, byte[] config) = SignatureManifests.Legacy(layers);
            await _registry.PushBlobAsync(repository, OciMediaTypes.ImageConfig, config, cancellationToken).ConfigureAwait(false);
            await _registry.PushManifestAsync(repository, OciMediaTypes.ImageManifest, manifest, tag.Tag, cancellationToken).ConfigureAwait(false);

            // No conditional PUT in distribution 2.8: let concurrent read-modify-writes land, read back, and if a
            // concurrent writer replaced the tag, merge again.
            await Task.Delay(_settleDelay, _time, cancellationToken).ConfigureAwait(false);
            FetchedManifest? after = await _registry.TryGetManifestAsync(tag, cancellationToken).ConfigureAwait(false);
            if (after is not null && ManifestDocument.Parse(after.Content).Layers.Any(l => SameLayer(l.Descriptor, layer)))
            {
                return after.Descriptor;
            }
        }

        throw OciErrors.LegacyAttachConflict.ToException($"{tag.Tag} after {Limits.MaxLegacyAttachAttempts} attempts");
    }

    /// <summary>The same signed content with the same signature (a <c>.att</c> envelope's digest covers its signature).</summary>
    private static bool SameLayer(OciDescriptor a, OciDescriptor b) =>
        a.Digest == b.Digest && Signature(a) == Signature(b);

    private static string? Signature(OciDescriptor layer) =>
        layer.Annotations is { } annotations && annotations.TryGetValue(SignatureMediaTypes.SignatureAnnotation, out string? value) ? value : null;

    private static string? PredicateTypeOf(SigstoreBundle bundle) =>
        bundle.DsseEnvelope is { PayloadType: Dsse.InTotoPayloadType } envelope ? InTotoStatement.Parse(envelope.Payload.Span).PredicateType : null;
}
