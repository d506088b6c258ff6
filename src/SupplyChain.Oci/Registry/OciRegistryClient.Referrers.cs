using System.Net;
using SupplyChain.Http;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Registry.Transport;

namespace SupplyChain.Oci.Registry;

/// <summary>Referrers: the referrers API with pagination and filters, the tag-schema fallback, and attaching referrers.</summary>
public sealed partial class OciRegistryClient
{
    private const string FiltersAppliedHeader = "OCI-Filters-Applied";

    /// <summary>API hosts that answered 404 to the referrers API: later listings go straight to the tag schema (one request fewer).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _noReferrersApi = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        string digest = subject.Digest ?? throw OciErrors.ReferenceMalformed.ToException("listing referrers needs a digest; resolve the tag first");
        if (!_noReferrersApi.ContainsKey(subject.ApiHost))
        {
            IReadOnlyList<OciDescriptor>? fromApi = await TryListReferrersApiAsync(subject, digest, artifactType, cancellationToken).ConfigureAwait(false);
            if (fromApi is not null)
            {
                return fromApi;
            }

            _noReferrersApi.TryAdd(subject.ApiHost, true);
        }

        IReadOnlyList<OciDescriptor> fromTag = await ReadReferrersIndexAsync(subject, digest, cancellationToken).ConfigureAwait(false) ?? [];
        return artifactType is null ? fromTag : fromTag.Where(d => d.ArtifactType == artifactType).ToList();
    }

    /// <summary>
    /// The referrers API (distribution spec 1.1 "Listing Referrers"): <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>,
    /// an image index, paginated with Link; <c>null</c> on 404 ("the registry MUST NOT return a 404 ... if it supports the
    /// referrers API", so a 404 means "use the tag schema"). When the registry did not apply the artifactType filter (no
    /// <c>OCI-Filters-Applied: artifactType</c>), the client filters.
    /// </summary>
    private async Task<IReadOnlyList<OciDescriptor>?> TryListReferrersApiAsync(ImageReference subject, string digest, string? artifactType, CancellationToken cancellationToken)
    {
        Uri? url = Url(subject, "/referrers/" + digest + (artifactType is null ? string.Empty : "?artifactType=" + Uri.EscapeDataString(artifactType)));
        string what = $"referrers of {subject.Registry}/{subject.Repository}@{digest}";
        var result = new List<OciDescriptor>();
        bool filtered = true;
        for (int page = 0; url is not null; page++)
        {
            if (page >= Limits.MaxPages)
            {
                throw OciErrors.SizeLimitExceeded.ToException($"{what}: more than {Limits.MaxPages} pages");
            }

            Uri current = url;
            HttpAnswer response = await _transport.SendAsync(RegistryScope.Pull(subject), () => Request(HttpMethod.Get, current, OciMediaTypes.ImageIndex), what, cancellationToken, maxBytes: Limits.MaxManifestBytes).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && page == 0)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw _transport.Error(response, what);
            }

            string? contentType = response.ContentHeaders.ContentType?.MediaType;
            if (contentType != OciMediaTypes.ImageIndex)
            {
                throw OciErrors.UnsupportedMediaType.ToException($"{what}: the Content-Type is not an OCI image index", null, RegistryResponses.Remote("Content-Type: " + (contentType ?? "(none)")));
            }

            byte[] body = response.Body;
            result.AddRange(OciIndex.Parse(body, contentType).Manifests);
            if (result.Count > Limits.MaxReferrers)
            {
                throw OciErrors.SizeLimitExceeded.ToException($"{what}: more than {Limits.MaxReferrers} referrers");
            }

            filtered &= response.Header(FiltersAppliedHeader) is { } applied
                && applied.Split(',').Any(f => f.Trim().Equals("artifactType", StringComparison.Ordinal));
            url = NextPage(response, current, what);
        }

        return artifactType is null || filtered ? result : result.Where(d => d.ArtifactType == artifactType).ToList();
    }

    /// <summary>
    /// The referrers tag schema (distribution spec 1.1 "Referrers Tag Schema"): the index tagged <c>&lt;alg&gt;-&lt;ref&gt;</c>.
    /// <c>null</c> when the tag does not exist (a 404: positively no referrers); every other failure throws.
    /// </summary>
    private async Task<IReadOnlyList<OciDescriptor>?> ReadReferrersIndexAsync(ImageReference subject, string digest, CancellationToken cancellationToken) =>
        (await ReadReferrersIndexWithDigestAsync(subject, digest, cancellationToken).ConfigureAwait(false)).Manifests;

    private async Task<(IReadOnlyList<OciDescriptor>? Manifests, string? Digest)> ReadReferrersIndexWithDigestAsync(ImageReference subject, string digest, CancellationToken cancellationToken)
    {
        FetchedManifest? index = await TryGetManifestAsync(subject.WithTag(OciDigest.ReferrersTag(digest)), cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            return (null, null);
        }

        if (index.Descriptor.MediaType != OciMediaTypes.ImageIndex)
        {
            throw OciErrors.UnsupportedMediaType.ToException($"the referrers tag {OciDigest.ReferrersTag(digest)} holds {index.Descriptor.MediaType}, not an OCI image index");
        }

        return (OciIndex.Parse(index.Content.Span, index.Descriptor.MediaType).Manifests, index.Descriptor.Digest);
    }

    /// <inheritdoc/>
    public async Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(mediaType);
        (OciDescriptor subject, string? artifactType, IReadOnlyDictionary<string, string>? annotations) = ReferrerFields(manifest.Span, mediaType);

        // Order for "nothing lost": the caller pushed the blobs; the manifest goes up by digest before any tag names it.
        (OciDescriptor? pushed, bool subjectProcessed) = await PutManifestAsync(repository, mediaType, manifest, null, null, cancellationToken).ConfigureAwait(false);
        OciDescriptor entry = pushed! with { ArtifactType = artifactType, Annotations = annotations };
        if (!subjectProcessed)
        {
            await AddToReferrersIndexAsync(repository, subject.Digest, entry, cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    /// <summary>
    /// Adds <paramref name="entry"/> to the referrers tag-schema index by read-modify-write (spec: "the client MUST ...
    /// pull the current referrers list using the referrers tag schema, ... add the descriptor ..., and push the updated
    /// referrers list"). Distribution 2.8 has no conditional PUT (If-Match is sent anyway, for registries that honour it),
    /// so after writing the client waits, re-reads, and merges again if a concurrent writer with an older copy dropped the
    /// entry; bounded attempts (<c>SC4016</c>). The wait is <see cref="OciRegistryClientOptions.ReferrersIndexSettleDelay"/>
    /// or twice this writer's own read-to-write time, whichever is longer: a concurrent writer that read before this write
    /// needs about as long to write back, and on a slow registry or a loaded machine that exceeds a fixed delay.
    /// Writers in one process take turns per subject.
    /// </summary>
    private async Task AddToReferrersIndexAsync(ImageReference repository, string subjectDigest, OciDescriptor entry, CancellationToken cancellationToken)
    {
        string tag = OciDigest.ReferrersTag(subjectDigest);
        SemaphoreSlim gate = _indexLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(repository.Registry + "/" + repository.Repository + "@" + subjectDigest) % (uint)_indexLocks.Length)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool wrote = false;
            bool conditional = true;
            for (int attempt = 1; attempt <= Limits.MaxReferrersIndexAttempts; attempt++)
            {
                long readStarted = _options.TimeProvider.GetTimestamp();
                (IReadOnlyList<OciDescriptor>? current, string? currentDigest) = await ReadReferrersIndexWithDigestAsync(repository, subjectDigest, cancellationToken).ConfigureAwait(false);
                current ??= [];
                if (!current.Any(d => d.Digest == entry.Digest))
                {
                    var merged = current.DistinctBy(d => d.Digest).Append(entry).ToList();
                    byte[] index = OciIndex.Create(merged).ToJson();
                    (OciDescriptor? written, _) = await PutManifestAsync(repository, OciMediaTypes.ImageIndex, index, tag, conditional ? currentDigest : null, cancellationToken).ConfigureAwait(false);
                    wrote = true;
                    if (written is null)
                    {
                        // 412: changed since read, or an ETag that is not the digest; the read-back check alone guards further attempts.
                        conditional = false;
                        await JitterAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                else if (!wrote)
                {
                    return;
                }

                TimeSpan cycle = _options.TimeProvider.GetElapsedTime(readStarted);
                TimeSpan settle = cycle * 2 > _options.ReferrersIndexSettleDelay ? cycle * 2 : _options.ReferrersIndexSettleDelay;
                await Task.Delay(settle, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<OciDescriptor> check = await ReadReferrersIndexAsync(repository, subjectDigest, cancellationToken).ConfigureAwait(false) ?? [];
                if (check.Any(d => d.Digest == entry.Digest))
                {
                    return;
                }

                await JitterAsync(cancellationToken).ConfigureAwait(false);
            }

            throw OciErrors.ReferrersIndexConflict.ToException($"tag {tag} of {repository.Registry}/{repository.Repository}: {Limits.MaxReferrersIndexAttempts} attempts");
        }
        finally
        {
            gate.Release();
        }
    }

    private Task JitterAsync(CancellationToken cancellationToken)
    {
        TimeSpan jitter = TimeSpan.FromMilliseconds(_options.ReferrersIndexSettleDelay.TotalMilliseconds * Random.Shared.NextDouble());
        return jitter > TimeSpan.Zero ? Task.Delay(jitter, _options.TimeProvider, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>
    /// The subject, and the artifactType and annotations a referrers listing shows (spec: "artifactType ... the value of
    /// artifactType in the manifest, or the config descriptor's mediaType if artifactType is not set"; "annotations ...
    /// the annotations of the referring manifest").
    /// </summary>
    internal static (OciDescriptor Subject, string? ArtifactType, IReadOnlyDictionary<string, string>? Annotations) ReferrerFields(ReadOnlySpan<byte> manifest, string mediaType)
    {
        if (OciMediaTypes.IsIndex(mediaType))
        {
            OciIndex index = OciIndex.Parse(manifest, mediaType);
            return (index.Subject ?? throw OciErrors.ReferrerSubjectMissing.ToException(), index.ArtifactType, index.Annotations);
        }

        OciManifest parsed = OciManifest.Parse(manifest, mediaType);
        return (parsed.Subject ?? throw OciErrors.ReferrerSubjectMissing.ToException(), parsed.EffectiveArtifactType, parsed.Annotations);
    }
}
