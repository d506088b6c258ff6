using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Layout;

/// <summary>
/// Writes: blobs by digest (a temporary file renamed into <c>blobs/&lt;alg&gt;/&lt;encoded&gt;</c>), then <c>index.json</c>
/// by read-modify-write under the layout's lock file, replaced atomically. A layout that does not exist yet is created
/// (image-layout.md: the <c>oci-layout</c> file, <c>blobs/</c>, <c>index.json</c>), the index written last.
/// </summary>
public sealed partial class OciLayoutRegistry
{
    /// <inheritdoc/>
    public async Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        cancellationToken.ThrowIfCancellationRequested();
        LayoutDirectory layout = Open(repository);
        await EnsureLayoutAsync(layout, cancellationToken).ConfigureAwait(false);
        var descriptor = new OciDescriptor(mediaType, OciDigest.Sha256(content.Span), content.Length);
        WriteBlob(layout, descriptor.Digest, content.Span);
        return descriptor;
    }

    /// <inheritdoc/>
    public async Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        cancellationToken.ThrowIfCancellationRequested();
        LayoutDirectory layout = Open(repository);
        await EnsureLayoutAsync(layout, cancellationToken).ConfigureAwait(false);
        OciDescriptor descriptor = WriteManifestBlob(layout, mediaType, manifest);
        if (tag is not null)
        {
            if (!ImageReference.IsTag(tag))
            {
                throw OciErrors.ReferenceMalformed.ToException("the tag is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
            }

            // image-layout.md: a tag is the ref.name annotation of an index.json descriptor; moving it replaces the entry.
            var entry = descriptor with { Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [LayoutIndex.RefNameAnnotation] = tag } };
            await UpdateIndexAsync(layout, entries => entries.Where(d => LayoutIndex.Tag(d) != tag).Append(entry), cancellationToken).ConfigureAwait(false);
        }

        return descriptor;
    }

    /// <inheritdoc/>
    public async Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        cancellationToken.ThrowIfCancellationRequested();
        LayoutDirectory layout = Open(repository);
        (_, string? artifactType, IReadOnlyDictionary<string, string>? annotations) = OciRegistryClient.ReferrerFields(manifest.Span, mediaType);
        await EnsureLayoutAsync(layout, cancellationToken).ConfigureAwait(false);
        OciDescriptor descriptor = WriteManifestBlob(layout, mediaType, manifest);
        await AddUntaggedAsync(layout, descriptor with { ArtifactType = artifactType }, cancellationToken).ConfigureAwait(false);
        return descriptor with { ArtifactType = artifactType, Annotations = annotations };
    }

    /// <summary>
    /// Lists a manifest that is already in the layout's <c>blobs/</c> in <c>index.json</c> without a tag (so that layout
    /// tools keep it, and a reference without tag finds it), unless it is listed already.
    /// </summary>
    /// <param name="layout">The layout.</param>
    /// <param name="descriptor">The manifest's descriptor.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <returns>A task that completes when <c>index.json</c> lists it.</returns>
    public async Task AddToIndexAsync(ImageReference layout, OciDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        cancellationToken.ThrowIfCancellationRequested();
        LayoutDirectory directory = Open(layout);
        _ = ReadManifest(directory, descriptor.Digest, descriptor.MediaType, descriptor.Size)
            ?? throw OciErrors.ManifestNotFound.ToException($"oci:{directory.Root}@{descriptor.Digest}");
        await AddUntaggedAsync(directory, new OciDescriptor(descriptor.MediaType, descriptor.Digest, descriptor.Size) { ArtifactType = descriptor.ArtifactType, Platform = descriptor.Platform }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new layout is made valid before its first blob: the marker and an empty index.json (under the lock), so an
    /// interrupted first copy leaves a valid layout that merely lacks the image, never a directory that is no layout.
    /// </summary>
    private Task EnsureLayoutAsync(LayoutDirectory layout, CancellationToken cancellationToken) =>
        layout.RootExists && layout.FileExists(LayoutDirectory.MarkerFile) && layout.FileExists(LayoutDirectory.IndexFile)
            ? Task.CompletedTask
            : UpdateIndexAsync(layout, entries => entries, cancellationToken);

    private Task AddUntaggedAsync(LayoutDirectory layout, OciDescriptor entry, CancellationToken cancellationToken) =>
        UpdateIndexAsync(layout, entries => entries.Any(d => d.Digest == entry.Digest && LayoutIndex.Tag(d) is null) ? entries : entries.Append(entry), cancellationToken);

    private static OciDescriptor WriteManifestBlob(LayoutDirectory layout, string mediaType, ReadOnlyMemory<byte> manifest)
    {
        if (manifest.Length > Limits.MaxManifestBytes)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{manifest.Length} bytes, manifest limit {Limits.MaxManifestBytes}");
        }

        string? artifactType = OciRegistryClient.ParseChecked(manifest.Span, mediaType);
        var descriptor = new OciDescriptor(mediaType, OciDigest.Sha256(manifest.Span), manifest.Length) { ArtifactType = artifactType };
        WriteBlob(layout, descriptor.Digest, manifest.Span);
        return descriptor;
    }

    /// <summary>Writes a blob unless a file of its size is there already (a partial write never is: blobs arrive by rename).</summary>
    private static void WriteBlob(LayoutDirectory layout, string digest, ReadOnlySpan<byte> content)
    {
        layout.EnsureDirectories(digest[..digest.IndexOf(':', StringComparison.Ordinal)]);
        string path = LayoutDirectory.BlobPath(digest);
        if (layout.Stat(path) != content.Length)
        {
            layout.WriteAtomically(path, content);
        }
    }

    /// <summary>
    /// Read-modify-write of <c>index.json</c> with the layout locked: first among this process's writers (a semaphore per
    /// layout), then against other processes (an exclusive lock on the lock file, polled until <see cref="OciLayoutRegistryOptions.LockTimeout"/>,
    /// then <c>SC4063</c>). The index is read after the lock is taken, so no writer's entry is lost.
    /// </summary>
    private async Task UpdateIndexAsync(LayoutDirectory layout, Func<IEnumerable<OciDescriptor>, IEnumerable<OciDescriptor>> change, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = _writers.GetOrAdd(layout.Root, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(_options.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw OciErrors.LayoutLocked.ToException($"oci:{layout.Root}: another writer in this process held it for {_options.LockTimeout}");
        }

        try
        {
            layout.EnsureDirectories("sha256");
            using FileStream lockFile = await LockAsync(layout, cancellationToken).ConfigureAwait(false);
            OciIndex current = LayoutIndex.ReadOrEmpty(layout);
            List<OciDescriptor> entries = change(current.Manifests).ToList();
            if (entries.Count > Limits.MaxReferrers)
            {
                throw OciErrors.SizeLimitExceeded.ToException($"oci:{layout.Root} {LayoutDirectory.IndexFile}: more than {Limits.MaxReferrers} entries");
            }

            LayoutIndex.Write(layout, entries, current.Annotations);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<FileStream> LockAsync(LayoutDirectory layout, CancellationToken cancellationToken)
    {
        long attempts = Math.Max(1, (long)(_options.LockTimeout / LockPollInterval));
        for (long attempt = 0; attempt < attempts; attempt++)
        {
            if (layout.TryLock() is { } held)
            {
                return held;
            }

            await Task.Delay(LockPollInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        throw OciErrors.LayoutLocked.ToException($"oci:{layout.Root}: {LayoutDirectory.LockFile} was held by another writer for {_options.LockTimeout}");
    }
}
