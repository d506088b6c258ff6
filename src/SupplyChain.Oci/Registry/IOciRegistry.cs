namespace SupplyChain.Oci.Registry;

/// <summary>
/// The registry operations signing and verification need (OCI distribution spec 1.1). One long-lived, thread-safe
/// instance serves many repositories and registries; it caches bearer tokens per scope. Every manifest and blob it
/// returns has been checked against its digest and size limit. Failures throw <see cref="Core.Errors.SupplyChainException"/>
/// with an <c>SC4xxx</c> code: a 404 for a manifest is <c>null</c> from the <c>Try</c> methods, never an exception,
/// and never an empty list from <see cref="ListReferrersAsync"/> when the registry answered with an error (a throttled
/// listing must not read as "unsigned").
/// </summary>
public interface IOciRegistry
{
    /// <summary>Resolves a tag (or checks a digest) to the descriptor of the manifest it names.</summary>
    /// <param name="reference">The image; its tag or digest selects the manifest.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The manifest's descriptor: media type, digest and size.</returns>
    Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>Fetches a manifest by tag or digest; its bytes are checked against the digest (the requested one, or the registry's Docker-Content-Digest for a tag).</summary>
    /// <param name="reference">The image; its digest (preferred) or tag selects the manifest.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The manifest, or <c>null</c> when the registry says it does not exist (404 MANIFEST_UNKNOWN / NAME_UNKNOWN).</returns>
    Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>Fetches a blob of the reference's repository and checks it against <paramref name="blob"/>'s digest and size.</summary>
    /// <param name="repository">The repository (tag and digest ignored).</param>
    /// <param name="blob">The blob's descriptor.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The blob's bytes.</returns>
    Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default);

    /// <summary>Uploads a blob unless the repository already has it; returns its descriptor (media type as given).</summary>
    /// <param name="repository">The repository (tag and digest ignored).</param>
    /// <param name="mediaType">The blob's media type, for the returned descriptor.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The blob's descriptor.</returns>
    Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Pushes a manifest by digest, or under <paramref name="tag"/> when given. Every blob it names must already be in the repository.</summary>
    /// <param name="repository">The repository (tag and digest ignored).</param>
    /// <param name="mediaType">The manifest's media type (sent as Content-Type).</param>
    /// <param name="manifest">The manifest's exact bytes.</param>
    /// <param name="tag">A tag to point at it, or <c>null</c> to push by digest.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The manifest's descriptor.</returns>
    Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the manifests whose <c>subject</c> is the reference's digest: the referrers API when the registry has it,
    /// else the referrers tag schema (<c>sha256-&lt;hex&gt;</c> index), as the distribution spec 1.1 says clients must.
    /// </summary>
    /// <param name="subject">The subject image; must carry a digest.</param>
    /// <param name="artifactType">Only referrers of this artifact type, or <c>null</c> for all.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The referrers' descriptors (with artifactType and annotations); empty only when the registry positively answered "none".</returns>
    Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pushes a manifest that carries a <c>subject</c> (by digest) and makes it discoverable: when the registry does
    /// not process subjects (no <c>OCI-Subject</c> header in the answer), adds it to the referrers tag-schema index
    /// with read-modify-write and retries on a concurrent change, so that two concurrent attaches both end up listed.
    /// </summary>
    /// <param name="repository">The repository of the subject.</param>
    /// <param name="mediaType">The manifest's media type.</param>
    /// <param name="manifest">The manifest's exact bytes; it names the subject.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The pushed manifest's descriptor.</returns>
    Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default);
}
