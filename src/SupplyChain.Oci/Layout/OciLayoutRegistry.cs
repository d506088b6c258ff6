using System.Collections.Concurrent;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Layout;

/// <summary>
/// OCI image layouts on disk as an <see cref="IOciRegistry"/> (image-spec <c>image-layout.md</c>): references are
/// <c>oci:PATH[:TAG][@DIGEST]</c> (<see cref="ImageReference.ParseLayout"/>), a layout directory is a repository, its
/// tags are the <c>org.opencontainers.image.ref.name</c> annotations of <c>index.json</c>. Signatures and attestations
/// are stored as OCI 1.1 referrers: manifests with a <c>subject</c>, written under <c>blobs/</c> and listed (untagged) in
/// <c>index.json</c>, as oras does; the referrers tag schema and cosign's legacy <c>.sig</c>/<c>.att</c> tags are tags
/// like any other. A layout is untrusted input: every manifest and blob read is checked against its digest and its size
/// limit, and no read or write follows a symbolic link below the layout's root (<c>SC4061</c>). Writes put blobs first
/// and replace <c>index.json</c> last, atomically, under a lock file, so an interrupted writer leaves a valid layout and
/// concurrent writers (threads or processes) never lose each other's entries. Thread-safe.
/// </summary>
public sealed partial class OciLayoutRegistry : IOciRegistry
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(25);

    private readonly OciLayoutRegistryOptions _options;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReferrerFacts> _facts = new(StringComparer.Ordinal);

    /// <summary>Creates the registry; throws <c>SC4019</c> when <paramref name="options"/> are invalid.</summary>
    /// <param name="options">The options, or <c>null</c> for the defaults.</param>
    public OciLayoutRegistry(OciLayoutRegistryOptions? options = null)
    {
        _options = options ?? new OciLayoutRegistryOptions();
        if (_options.MaxBlobBytes is <= 0 or > Limits.MaxBlobBytesCeiling || _options.LockTimeout <= TimeSpan.Zero || _options.TimeProvider is null)
        {
            throw OciErrors.ClientOptionsInvalid.ToException($"layout options: MaxBlobBytes must be in 1..{Limits.MaxBlobBytesCeiling}, LockTimeout positive, TimeProvider set");
        }
    }

    /// <summary>What a referrers listing needs of a manifest: its subject, artifact type and annotations (by digest, so immutable).</summary>
    private sealed record ReferrerFacts(string? SubjectDigest, string? ArtifactType, IReadOnlyDictionary<string, string>? Annotations);

    /// <inheritdoc/>
    public async Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        FetchedManifest manifest = await TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw OciErrors.ManifestNotFound.ToException(reference.ToString());
        return manifest.Descriptor;
    }

    /// <inheritdoc/>
    public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        Run(() => TryGetManifest(reference), cancellationToken);

    private FetchedManifest? TryGetManifest(ImageReference reference)
    {
        LayoutDirectory layout = Open(reference);
        OciIndex index = LayoutIndex.Read(layout);
        OciDescriptor? entry;
        if (reference.Digest is { } digest)
        {
            // By digest: any manifest in blobs/, its media type from index.json when listed there, else its own mediaType.
            entry = index.Manifests.FirstOrDefault(d => d.Digest == digest);
            return ReadManifest(layout, digest, entry?.MediaType, entry?.Size);
        }

        entry = reference.Tag is { } tag ? ByTag(layout, index, tag) : OnlyImage(layout, index);
        return entry is null ? null : ReadManifest(layout, entry.Digest, entry.MediaType, entry.Size);
    }

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return Run(() => GetBlob(repository, blob), cancellationToken);
    }

    private ReadOnlyMemory<byte> GetBlob(ImageReference repository, OciDescriptor blob)
    {
        LayoutDirectory layout = Open(repository);
        if (!OciDigest.IsValid(blob.Digest) || blob.Size < 0)
        {
            throw OciErrors.ManifestMalformed.ToException($"the descriptor's digest or size {blob.Size} is invalid");
        }

        if (blob.Size > _options.MaxBlobBytes)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"blob {blob.Digest}: {blob.Size} bytes, limit {_options.MaxBlobBytes}");
        }

        LayoutIndex.RequireMarker(layout);
        byte[] content = layout.Read(LayoutDirectory.BlobPath(blob.Digest), _options.MaxBlobBytes, blob.Size)
            ?? throw OciErrors.BlobNotFound.ToException($"blob oci:{layout.Root}@{blob.Digest}");
        return Checked(layout, blob.Digest, content);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Run<IReadOnlyList<OciDescriptor>>(() => ListReferrers(subject, artifactType), cancellationToken);
    }

    private List<OciDescriptor> ListReferrers(ImageReference subject, string? artifactType)
    {
        string digest = subject.Digest ?? throw OciErrors.ReferenceMalformed.ToException("listing referrers needs a digest; resolve the tag first");
        LayoutDirectory layout = Open(subject);
        OciIndex index = LayoutIndex.Read(layout);

        // Referrers listed in index.json (as this library and oras write them), then a referrers tag-schema index (as
        // skopeo copies one from a registry without the referrers API).
        IEnumerable<OciDescriptor> candidates = index.Manifests;
        if (ByTag(layout, index, OciDigest.ReferrersTag(digest)) is { } schemaEntry
            && ReadManifest(layout, schemaEntry.Digest, schemaEntry.MediaType, schemaEntry.Size) is { } schema
            && OciMediaTypes.IsIndex(schema.Descriptor.MediaType))
        {
            candidates = candidates.Concat(OciIndex.Parse(schema.Content.Span, schema.Descriptor.MediaType).Manifests);
        }

        var result = new List<OciDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (OciDescriptor candidate in candidates)
        {
            if (!OciMediaTypes.IsManifest(candidate.MediaType) || !seen.Add(candidate.Digest))
            {
                continue;
            }

            ReferrerFacts facts = Facts(layout, candidate);
            if (facts.SubjectDigest == digest && (artifactType is null || facts.ArtifactType == artifactType))
            {
                result.Add(new OciDescriptor(candidate.MediaType, candidate.Digest, candidate.Size) { ArtifactType = facts.ArtifactType, Annotations = facts.Annotations });
                if (result.Count > Limits.MaxReferrers)
                {
                    throw OciErrors.SizeLimitExceeded.ToException($"referrers of oci:{layout.Root}@{digest}: more than {Limits.MaxReferrers}");
                }
            }
        }

        return result;
    }

    /// <summary>Runs a synchronous file operation as a task: its failures are the task's, as an asynchronous registry's are.</summary>
    private static Task<T> Run<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(operation());
        }
#pragma warning disable CA1031 // Not swallowed: the exception becomes the task's.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<T>(ex);
        }
    }

    /// <summary>The layout a reference names, after the roots check; <c>SC4065</c> for a registry reference.</summary>
    private LayoutDirectory Open(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string path = reference.LayoutPath ?? throw OciErrors.LayoutReferenceRefused.ToException($"{reference} is not a layout reference (oci:PATH)");
        LayoutRoots.Check(path, _options.AllowedRoots);
        return new LayoutDirectory(path);
    }

    /// <summary>The entry tagged <paramref name="tag"/>; <c>SC4062</c> when the tag is on two different manifests.</summary>
    private static OciDescriptor? ByTag(LayoutDirectory layout, OciIndex index, string tag)
    {
        OciDescriptor[] tagged = index.Manifests.Where(d => LayoutIndex.Tag(d) == tag).DistinctBy(d => d.Digest).ToArray();
        return tagged.Length switch
        {
            0 => null,
            1 => tagged[0],
            _ => throw OciErrors.LayoutReferenceAmbiguous.ToException($"oci:{layout.Root}:{tag} names {tagged.Length} different manifests"),
        };
    }

    /// <summary>
    /// For <c>oci:PATH</c> without tag or digest: the one image of the layout (as skopeo reads such a reference), leaving
    /// out referrers and tag-schema or legacy signature tags; <c>SC4062</c> when there are several.
    /// </summary>
    private OciDescriptor? OnlyImage(LayoutDirectory layout, OciIndex index)
    {
        OciDescriptor[] images = index.Manifests
            .Where(d => OciMediaTypes.IsManifest(d.MediaType) && !IsSignatureTag(LayoutIndex.Tag(d)))
            .DistinctBy(d => d.Digest)
            .Where(d => Facts(layout, d).SubjectDigest is null)
            .Take(2)
            .ToArray();
        return images.Length <= 1 ? images.FirstOrDefault()
            : throw OciErrors.LayoutReferenceAmbiguous.ToException($"oci:{layout.Root} holds several images: name one with :TAG or @DIGEST");
    }

    /// <summary>The referrers tag schema (<c>sha256-&lt;hex&gt;</c>) and cosign's <c>sha256-&lt;hex&gt;.sig/.att/.sbom</c>.</summary>
    private static bool IsSignatureTag(string? tag) =>
        tag is not null && (tag.StartsWith("sha256-", StringComparison.Ordinal) || tag.StartsWith("sha512-", StringComparison.Ordinal))
        && (tag.Length is 7 + 64 or 7 + 128 || tag.EndsWith(".sig", StringComparison.Ordinal) || tag.EndsWith(".att", StringComparison.Ordinal) || tag.EndsWith(".sbom", StringComparison.Ordinal));

    /// <summary>Reads a manifest by digest, checked against the digest, the size the index states and the 4 MiB limit.</summary>
    private static FetchedManifest? ReadManifest(LayoutDirectory layout, string digest, string? listedMediaType, long? listedSize)
    {
        byte[]? content = layout.Read(LayoutDirectory.BlobPath(digest), Limits.MaxManifestBytes, listedSize);
        if (content is null)
        {
            return null;
        }

        Checked(layout, digest, content);
        string mediaType = listedMediaType is not null && OciMediaTypes.IsManifest(listedMediaType)
            ? listedMediaType
            : ManifestReader.MediaType(ManifestReader.Deserialize(content), null);
        string? artifactType = OciRegistryClient.ParseChecked(content, mediaType);
        return new FetchedManifest(new OciDescriptor(mediaType, digest, content.Length) { ArtifactType = artifactType }, content);
    }

    private ReferrerFacts Facts(LayoutDirectory layout, OciDescriptor entry)
    {
        if (_facts.TryGetValue(entry.Digest, out ReferrerFacts? known))
        {
            return known;
        }

        FetchedManifest manifest = ReadManifest(layout, entry.Digest, entry.MediaType, entry.Size)
            ?? throw OciErrors.LayoutInvalid.ToException($"oci:{layout.Root} {LayoutDirectory.IndexFile} lists {entry.Digest}, which is not in blobs/");
        ReferrerFacts facts;
        if (OciMediaTypes.IsIndex(manifest.Descriptor.MediaType))
        {
            OciIndex parsed = OciIndex.Parse(manifest.Content.Span, manifest.Descriptor.MediaType);
            facts = new ReferrerFacts(parsed.Subject?.Digest, parsed.ArtifactType, parsed.Annotations);
        }
        else
        {
            OciManifest parsed = OciManifest.Parse(manifest.Content.Span, manifest.Descriptor.MediaType);
            facts = new ReferrerFacts(parsed.Subject?.Digest, parsed.EffectiveArtifactType, parsed.Annotations);
        }

        // Content by digest never changes; the bound only keeps a hostile layout from growing the process.
        if (_facts.Count >= Limits.MaxReferrers * 4)
        {
            _facts.Clear();
        }

        _facts.TryAdd(entry.Digest, facts);
        return facts;
    }

    /// <summary>image-layout.md: blobs are content-addressed; the content must match the digest it is stored under (<c>SC4006</c>).</summary>
    private static byte[] Checked(LayoutDirectory layout, string digest, byte[] content) =>
        OciDigest.Matches(digest, content) ? content : throw OciErrors.DigestMismatch.ToException($"oci:{layout.Root} {LayoutDirectory.BlobPath(digest)}: the content's digest is {OciDigest.Compute(digest, content)}");
}
