using System.Net;
using SupplyChain.Http;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Registry.Transport;

namespace SupplyChain.Oci.Registry;

/// <summary>Manifests: GET with the four Accept types, checked against digest, media type and the 4 MiB limit; PUT.</summary>
public sealed partial class OciRegistryClient
{
    /// <inheritdoc/>
    public async Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        // A GET rather than a HEAD: one request both resolves and fetches (the manifest is then in the cache by digest),
        // and only a GET lets the client check the digest itself instead of trusting Docker-Content-Digest.
        FetchedManifest manifest = await TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw OciErrors.ManifestNotFound.ToException(reference.ToString());
        return manifest.Descriptor;
    }

    /// <inheritdoc/>
    public async Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Digest is { } wanted && _cache is not null && _cache.TryGet(true, reference, wanted, out string cachedType, out ReadOnlyMemory<byte> cached))
        {
            return new FetchedManifest(Describe(cachedType, wanted, cached), cached);
        }

        Uri url = Url(reference, "/manifests/" + reference.ManifestReference);
        string what = "manifest " + reference;
        HttpAnswer response = await _transport.SendAsync(RegistryScope.Pull(reference), () => Request(HttpMethod.Get, url, OciMediaTypes.ManifestAccept), what, cancellationToken, maxBytes: Limits.MaxManifestBytes).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw _transport.Error(response, what);
        }

        // Distribution spec: the client "SHOULD" send Accept and the registry answers with the manifest's Content-Type,
        // which must be one of the types asked for.
        string? contentType = response.ContentHeaders.ContentType?.MediaType;
        if (!OciMediaTypes.IsManifest(contentType))
        {
            throw OciErrors.UnsupportedMediaType.ToException($"{what}: the Content-Type is not a manifest type that was asked for", null, RegistryResponses.Remote("Content-Type: " + (contentType ?? "(none)")));
        }

        byte[] body = response.Body;
        string digest = CheckDigest(reference, body, response.Header("Docker-Content-Digest"), what);
        string? artifactType = ParseChecked(body, contentType!);
        _cache?.Add(true, reference, digest, contentType!, body);
        return new FetchedManifest(new OciDescriptor(contentType!, digest, body.Length) { ArtifactType = artifactType }, body);
    }

    /// <summary>Whether a manifest exists, by HEAD (no body, no digest check): for cheap existence checks such as the nothing-lost invariant.</summary>
    /// <param name="reference">The manifest, by tag or digest.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><c>true</c> when the registry answers 200.</returns>
    public async Task<bool> ManifestExistsAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Uri url = Url(reference, "/manifests/" + reference.ManifestReference);
        string what = "manifest " + reference;
        HttpAnswer response = await _transport.SendAsync(RegistryScope.Pull(reference), () => Request(HttpMethod.Head, url, OciMediaTypes.ManifestAccept), what, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw _transport.Error(response, what),
        };
    }

    /// <inheritdoc/>
    public async Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(mediaType);
        (OciDescriptor? descriptor, _) = await PutManifestAsync(repository, mediaType, manifest, tag, null, cancellationToken).ConfigureAwait(false);
        return descriptor!;
    }

    /// <summary>
    /// PUTs a manifest under a tag or its digest. Returns its descriptor and whether the registry processed its subject
    /// (distribution spec 1.1: "the registry MUST include the OCI-Subject header"), or <c>null</c> for 412 when
    /// <paramref name="ifMatch"/> was given and the registry honours conditional requests.
    /// </summary>
    private async Task<(OciDescriptor? Descriptor, bool SubjectProcessed)> PutManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag, string? ifMatch, CancellationToken cancellationToken)
    {
        if (manifest.Length > Limits.MaxManifestBytes)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{manifest.Length} bytes, manifest limit {Limits.MaxManifestBytes}");
        }

        if (tag is not null && !ImageReference.IsTag(tag))
        {
            throw OciErrors.ReferenceMalformed.ToException("the tag is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
        }

        string? artifactType = ParseChecked(manifest.Span, mediaType);
        string digest = OciDigest.Sha256(manifest.Span);
        Uri url = Url(repository, "/manifests/" + (tag ?? digest));
        string what = $"push manifest {repository.Registry}/{repository.Repository}@{tag ?? digest}";
        HttpAnswer response = await _transport.SendAsync(
            RegistryScope.Push(repository),
            () =>
            {
                HttpRequestMessage request = Request(HttpMethod.Put, url, content: Body(manifest, mediaType));
                if (ifMatch is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", "\"" + ifMatch + "\"");
                }

                return request;
            },
            what,
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed && ifMatch is not null)
        {
            return (null, false);
        }

        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw _transport.Error(response, what);
        }

        // The registry's digest, when it states one in our algorithm, must be ours: anything else means it stored other bytes.
        if (response.Header("Docker-Content-Digest") is { } stated && stated.StartsWith("sha256:", StringComparison.Ordinal) && stated != digest)
        {
            throw OciErrors.DigestMismatch.ToException($"{what}: the registry's Docker-Content-Digest is not {digest}", null, RegistryResponses.Remote("Docker-Content-Digest: " + stated));
        }

        bool subjectProcessed = response.Header("OCI-Subject") is { Length: > 0 };
        return (new OciDescriptor(mediaType, digest, manifest.Length) { ArtifactType = artifactType }, subjectProcessed);
    }

    /// <summary>
    /// The manifest's digest, checked: against the requested digest, else against Docker-Content-Digest when the registry
    /// sends one (distribution spec: the client "MUST" verify "the response body against the digest"; the computed digest
    /// is authoritative, so a header that disagrees is an error, not a hint), else the sha256 of the bytes.
    /// </summary>
    private static string CheckDigest(ImageReference reference, byte[] body, string? header, string what)
    {
        if (reference.Digest is { } wanted)
        {
            return OciDigest.Matches(wanted, body) ? wanted : throw OciErrors.DigestMismatch.ToException($"{what}: the body's digest is {OciDigest.Compute(wanted, body)}");
        }

        if (header is not null)
        {
            if (!OciDigest.IsValid(header))
            {
                throw OciErrors.DigestMismatch.ToException($"{what}: the Docker-Content-Digest is not a sha256/sha512 digest", null, RegistryResponses.Remote("Docker-Content-Digest: " + header));
            }

            return OciDigest.Matches(header, body) ? header : throw OciErrors.DigestMismatch.ToException($"{what}: the Docker-Content-Digest differs from the body's digest {OciDigest.Compute(header, body)}", null, RegistryResponses.Remote("Docker-Content-Digest: " + header));
        }

        return OciDigest.Sha256(body);
    }

    /// <summary>Parses a manifest or index fully (so malformed content never leaves the client) and returns its artifact type.</summary>
    internal static string? ParseChecked(ReadOnlySpan<byte> body, string mediaType)
    {
        if (!OciMediaTypes.IsManifest(mediaType))
        {
            throw OciErrors.UnsupportedMediaType.ToException("the media type is not an OCI or Docker manifest or index", null, RegistryResponses.Remote(mediaType));
        }

        return OciMediaTypes.IsIndex(mediaType) ? OciIndex.Parse(body, mediaType).ArtifactType : OciManifest.Parse(body, mediaType).ArtifactType;
    }

    private static OciDescriptor Describe(string mediaType, string digest, ReadOnlyMemory<byte> content) =>
        new(mediaType, digest, content.Length) { ArtifactType = ParseChecked(content.Span, mediaType) };
}
