using System.Collections.Concurrent;
using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// An in-process <see cref="IOciRegistry"/> for unit tests: manifests and blobs per repository, tags, deletion,
/// referrers (the distribution 1.1 API), a hook that makes reads fail like a registry error, and a count of reads. Like a real client it returns
/// content by digest; <see cref="Corrupt"/> makes it serve bytes that do not match, to test the callers' own checks.
/// </summary>
public sealed class InMemoryRegistry : IOciRegistry
{
    private readonly ConcurrentDictionary<(string Repository, string Digest), (string MediaType, byte[] Content)> _manifests = new();
    private readonly ConcurrentDictionary<(string Repository, string Tag), string> _tags = new();
    private readonly ConcurrentDictionary<(string Repository, string Digest), byte[]> _blobs = new();
    private readonly ConcurrentDictionary<string, byte[]> _corrupted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Repository, string Subject), ConcurrentQueue<OciDescriptor>> _referrers = new();
    private int _reads;

    /// <summary>When set, called before every read; a non-null result is thrown (a registry or network error).</summary>
    public Func<ImageReference, SupplyChainException?>? FailRead { get; set; }

    /// <summary>How many manifest and blob reads were made.</summary>
    public int Reads => _reads;

    /// <summary>The key of a repository: <c>registry/repository</c>.</summary>
    public static string RepositoryKey(ImageReference reference) => reference.Registry + "/" + reference.Repository;

    /// <summary>Removes a manifest (and the tags pointing at it).</summary>
    public void DeleteManifest(ImageReference repository, string digest)
    {
        _manifests.TryRemove((RepositoryKey(repository), digest), out _);
        foreach (var tag in _tags.Where(t => t.Key.Repository == RepositoryKey(repository) && t.Value == digest).ToList())
        {
            _tags.TryRemove(tag.Key, out _);
        }
    }

    /// <summary>Serves <paramref name="content"/> in place of whatever has <paramref name="digest"/> (a lying registry or client).</summary>
    public void Corrupt(string digest, byte[] content) => _corrupted[digest] = content;

    /// <inheritdoc/>
    public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        FetchedManifest manifest = Find(reference) ?? throw new InvalidOperationException($"{reference} is not in the fake registry");
        return Task.FromResult(manifest.Descriptor);
    }

    /// <inheritdoc/>
    public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _reads);
        if (FailRead?.Invoke(reference) is { } error)
        {
            throw error;
        }

        return Task.FromResult(Find(reference));
    }

    /// <inheritdoc/>
    public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _reads);
        if (FailRead?.Invoke(repository.WithDigest(blob.Digest)) is { } error)
        {
            throw error;
        }

        byte[] content = _blobs.TryGetValue((RepositoryKey(repository), blob.Digest), out byte[]? b)
            ? b
            : throw new InvalidOperationException($"blob {blob.Digest} is not in {RepositoryKey(repository)}");
        return Task.FromResult<ReadOnlyMemory<byte>>(_corrupted.TryGetValue(blob.Digest, out byte[]? c) ? c : content);
    }

    /// <inheritdoc/>
    public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        byte[] bytes = content.ToArray();
        string digest = Digest(bytes);
        _blobs[(RepositoryKey(repository), digest)] = bytes;
        return Task.FromResult(new OciDescriptor(mediaType, digest, bytes.Length));
    }

    /// <inheritdoc/>
    public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default)
    {
        byte[] bytes = manifest.ToArray();
        string digest = Digest(bytes);
        _manifests[(RepositoryKey(repository), digest)] = (mediaType, bytes);
        if (tag is not null)
        {
            _tags[(RepositoryKey(repository), tag)] = digest;
        }

        return Task.FromResult(new OciDescriptor(mediaType, digest, bytes.Length));
    }

    /// <summary>The referrers API (distribution spec 1.1): the referrers pushed with <see cref="PushReferrerAsync"/> for the subject digest.</summary>
    public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _reads);
        if (FailRead?.Invoke(subject) is { } error)
        {
            throw error;
        }

        return Task.FromResult<IReadOnlyList<OciDescriptor>>(_referrers.TryGetValue((RepositoryKey(subject), subject.Digest ?? ""), out ConcurrentQueue<OciDescriptor>? found)
            ? [.. found.Where(d => artifactType is null || d.ArtifactType == artifactType)]
            : []);
    }

    /// <summary>The referrers API: the manifest is stored by digest and listed under its subject (with its artifact type and annotations).</summary>
    public async Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        OciDescriptor pushed = await PushManifestAsync(repository, mediaType, manifest, null, cancellationToken).ConfigureAwait(false);
        using var document = System.Text.Json.JsonDocument.Parse(manifest);
        System.Text.Json.JsonElement root = document.RootElement;
        string subject = root.GetProperty("subject").GetProperty("digest").GetString()!;
        string? type = root.TryGetProperty("artifactType", out System.Text.Json.JsonElement a) ? a.GetString() : root.GetProperty("config").GetProperty("mediaType").GetString();
        Dictionary<string, string>? annotations = root.TryGetProperty("annotations", out System.Text.Json.JsonElement an)
            ? an.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : null;
        OciDescriptor descriptor = pushed with { ArtifactType = type, Annotations = annotations };
        _referrers.GetOrAdd((RepositoryKey(repository), subject), _ => new()).Enqueue(descriptor);
        return descriptor;
    }

    /// <summary>The sha256 digest of <paramref name="content"/>.</summary>
    public static string Digest(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private FetchedManifest? Find(ImageReference reference)
    {
        string repository = RepositoryKey(reference);
        string? digest = reference.Digest ?? (reference.Tag is { } tag && _tags.TryGetValue((repository, tag), out string? d) ? d : null);
        if (digest is null || !_manifests.TryGetValue((repository, digest), out var manifest))
        {
            return null;
        }

        byte[] content = _corrupted.TryGetValue(digest, out byte[]? c) ? c : manifest.Content;
        return new FetchedManifest(new OciDescriptor(manifest.MediaType, digest, content.Length), content);
    }
}
