using System.Net;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Registry.Transport;

namespace SupplyChain.Oci.Registry;

/// <summary>Blobs: digest- and size-checked GET, HEAD existence, monolithic and chunked upload, cross-repository mount.</summary>
public sealed partial class OciRegistryClient
{
    private const string OctetStream = "application/octet-stream";

    /// <inheritdoc/>
    public async Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(blob);
        CheckDescriptor(blob);
        if (blob.Size > _options.MaxBlobBytes)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"blob {blob.Digest}: {blob.Size} bytes, limit {_options.MaxBlobBytes}");
        }

        if (_cache is not null && _cache.TryGet(false, repository, blob.Digest, out _, out ReadOnlyMemory<byte> cached))
        {
            // The bytes match the digest; a descriptor whose size disagrees with them is checked as if fetched.
            return cached.Length == blob.Size ? cached : throw OciErrors.DigestMismatch.ToException($"blob {blob.Digest}: {cached.Length} bytes, the descriptor says {blob.Size}");
        }

        Uri url = Url(repository, "/blobs/" + blob.Digest);
        string what = $"blob {repository.Registry}/{repository.Repository}@{blob.Digest}";
        using HttpResponseMessage response = await _transport.SendAsync(RegistryScope.Pull(repository), () => Request(HttpMethod.Get, url), what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw OciErrors.BlobNotFound.ToException(what);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await _transport.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        }

        // Read into one buffer of the descriptor's size: a registry sending more is cut off (SC4007), not buffered.
        byte[] body = await _transport.ReadBodyAsync(response, blob.Size, what, cancellationToken, expectedBytes: blob.Size).ConfigureAwait(false);
        if (body.Length != blob.Size || !OciDigest.Matches(blob.Digest, body))
        {
            throw OciErrors.DigestMismatch.ToException($"{what}: {body.Length} bytes with digest {OciDigest.Compute(blob.Digest, body)}");
        }

        _cache?.Add(false, repository, blob.Digest, blob.MediaType, body);
        return body;
    }

    /// <summary>Whether the repository has the blob (HEAD; distribution spec "Checking if content exists in the registry").</summary>
    /// <param name="repository">The repository (tag and digest ignored).</param>
    /// <param name="digest">The blob's digest.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><c>true</c> for 200, <c>false</c> for 404.</returns>
    public Task<bool> BlobExistsAsync(ImageReference repository, string digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return BlobExistsAsync(repository, digest, RegistryScope.Pull(repository), cancellationToken);
    }

    /// <summary>The HEAD, under <paramref name="scope"/> (a push checks with its pull,push token rather than fetching a second one).</summary>
    private async Task<bool> BlobExistsAsync(ImageReference repository, string digest, RegistryScope scope, CancellationToken cancellationToken)
    {
        if (!OciDigest.IsValid(digest))
        {
            throw OciErrors.ManifestMalformed.ToException("the blob digest is not sha256:<64 hex> or sha512:<128 hex>");
        }

        Uri url = Url(repository, "/blobs/" + digest);
        string what = $"blob {repository.Registry}/{repository.Repository}@{digest}";
        using HttpResponseMessage response = await _transport.SendAsync(scope, () => Request(HttpMethod.Head, url), what, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw await _transport.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <inheritdoc/>
    public async Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        var descriptor = new OciDescriptor(mediaType, OciDigest.Sha256(content.Span), content.Length);
        if (await BlobExistsAsync(repository, descriptor.Digest, RegistryScope.Push(repository), cancellationToken).ConfigureAwait(false))
        {
            return descriptor;
        }

        (Uri location, int chunkMinimum) = await StartUploadAsync(repository, cancellationToken).ConfigureAwait(false);
        await UploadAsync(repository, location, chunkMinimum, descriptor.Digest, content, cancellationToken).ConfigureAwait(false);
        return descriptor;
    }

    /// <summary>
    /// Makes a blob of <paramref name="from"/> available in <paramref name="repository"/> without uploading it when the
    /// registry can mount it (distribution spec "Mounting a blob from another repository": 201), else uploads it from the
    /// source (a 202 is "the registry cannot mount; upload instead", with an upload session in Location).
    /// </summary>
    /// <param name="repository">The target repository.</param>
    /// <param name="from">The source repository (same registry; another registry means a plain copy).</param>
    /// <param name="blob">The blob's descriptor.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns><c>true</c> when mounted, <c>false</c> when the bytes were copied.</returns>
    public async Task<bool> MountBlobAsync(ImageReference repository, ImageReference from, OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(blob);
        CheckDescriptor(blob);
        if (from.Registry != repository.Registry)
        {
            ReadOnlyMemory<byte> bytes = await GetBlobAsync(from, blob, cancellationToken).ConfigureAwait(false);
            await PushBlobAsync(repository, blob.MediaType, bytes, cancellationToken).ConfigureAwait(false);
            return false;
        }

        Uri url = Url(repository, "/blobs/uploads/?mount=" + Uri.EscapeDataString(blob.Digest) + "&from=" + Uri.EscapeDataString(from.Repository));
        string what = $"mount {blob.Digest} from {from.Repository} into {repository.Repository}";
        using HttpResponseMessage response = await _transport.SendAsync(RegistryScope.Mount(repository, from.Repository), () => Request(HttpMethod.Post, url), what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await _transport.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        }

        Uri location = Location(response, url, what);
        ReadOnlyMemory<byte> content = await GetBlobAsync(from, blob, cancellationToken).ConfigureAwait(false);
        await UploadAsync(repository, location, ChunkMinimum(response), blob.Digest, content, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>Opens an upload session: "POST /v2/&lt;name&gt;/blobs/uploads/" answers 202 with its Location.</summary>
    private async Task<(Uri Location, int ChunkMinimum)> StartUploadAsync(ImageReference repository, CancellationToken cancellationToken)
    {
        Uri url = Url(repository, "/blobs/uploads/");
        string what = $"start upload to {repository.Registry}/{repository.Repository}";
        using HttpResponseMessage response = await _transport.SendAsync(RegistryScope.Push(repository), () => Request(HttpMethod.Post, url), what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await _transport.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
        }

        return (Location(response, url, what), ChunkMinimum(response));
    }

    /// <summary>Uploads into an open session: one PUT (monolithic) up to the threshold, else PATCH chunks then a closing PUT.</summary>
    private async Task UploadAsync(ImageReference repository, Uri location, int chunkMinimum, string digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        RegistryScope scope = RegistryScope.Push(repository);
        string what = $"upload {digest} to {repository.Registry}/{repository.Repository}";
        ReadOnlyMemory<byte> last = content;
        if (content.Length > _options.ChunkedUploadThreshold)
        {
            // Distribution spec "Pushing a blob in chunks": PATCH with Content-Type application/octet-stream,
            // Content-Range "<start>-<end>" (inclusive) and Content-Length; each 202 carries the Location for the next
            // request. "OCI-Chunk-Min-Length" is the smallest chunk the registry accepts (but the last).
            int chunk = Math.Max(_options.ChunkSize, chunkMinimum);
            int offset = 0;
            while (content.Length - offset > 0)
            {
                int length = Math.Min(chunk, content.Length - offset);
                ReadOnlyMemory<byte> part = content.Slice(offset, length);
                Uri target = location;
                int start = offset;
                using HttpResponseMessage response = await _transport.SendAsync(
                    scope,
                    () =>
                    {
                        HttpRequestMessage request = Request(HttpMethod.Patch, target, content: Body(part, OctetStream));
                        request.Content!.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
                        return request;
                    },
                    what,
                    cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw await _transport.ErrorAsync(response, $"{what} (chunk at {start})", cancellationToken).ConfigureAwait(false);
                }

                location = Location(response, target, what);
                offset += length;
            }

            last = ReadOnlyMemory<byte>.Empty;
        }

        // Closing (or monolithic) PUT: "PUT <location>?digest=<digest>" with the remaining bytes; 201 Created.
        Uri put = WithQuery(location, "digest", digest);
        using HttpResponseMessage done = await _transport.SendAsync(scope, () => Request(HttpMethod.Put, put, content: Body(last, OctetStream)), what, cancellationToken).ConfigureAwait(false);
        if (done.StatusCode != HttpStatusCode.Created)
        {
            throw await _transport.ErrorAsync(done, what, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int ChunkMinimum(HttpResponseMessage response) =>
        RegistryResponses.Header(response, "OCI-Chunk-Min-Length") is { } text && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int minimum) && minimum is > 0 and <= Limits.MaxManifestBytes * 16
            ? minimum
            : 0;

    private static void CheckDescriptor(OciDescriptor blob)
    {
        if (!OciDigest.IsValid(blob.Digest) || blob.Size < 0)
        {
            throw OciErrors.ManifestMalformed.ToException($"the descriptor's digest or size {blob.Size} is invalid", null, RegistryResponses.Remote(blob.Digest));
        }
    }
}
