using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>
/// An in-process <see cref="IOciRegistry"/> for unit tests: manifests and blobs by digest, tags, and a referrers API
/// computed from pushed manifests' <c>subject</c> (the path Debian's distribution 2.8 lacks). Counts calls, and can be
/// told to fail a listing (as a throttled registry would).
/// </summary>
internal sealed class InMemoryRegistry : IOciRegistry
{
    private readonly ConcurrentDictionary<string, (string MediaType, byte[] Content)> _manifests = new();
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    private readonly ConcurrentDictionary<string, string> _tags = new();

    public int Requests;

    /// <summary>Called after a manifest is pushed under a tag (a test plays a concurrent writer there).</summary>
    public Action<string>? OnTagPushed { get; set; }

    /// <summary>When set, <see cref="ListReferrersAsync"/> throws it (a 429 that outlived the retries, say).</summary>
    public Exception? ListReferrersFailure { get; set; }

    public static string Digest(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static string Key(ImageReference r, string x) => r.Registry + "/" + r.Repository + "|" + x;

    /// <summary>Pushes an image manifest with one random layer, tagged; returns its descriptor.</summary>
    public OciDescriptor PushImage(ImageReference repository, string tag, string seed = "layer")
    {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"u8.ToArray();
        byte[] layer = System.Text.Encoding.UTF8.GetBytes(seed + Guid.NewGuid());
        _blobs[Key(repository, Digest(config))] = config;
        _blobs[Key(repository, Digest(layer))] = layer;
        string manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{Digest(config)}\",\"size\":{config.Length}}},\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"{Digest(layer)}\",\"size\":{layer.Length}}}]}}";
        return Put(repository, "application/vnd.oci.image.manifest.v1+json", System.Text.Encoding.UTF8.GetBytes(manifest), tag);
    }

    /// <summary>Pushes an index over <paramref name="children"/> (linux/amd64, linux/arm64, ...), tagged.</summary>
    public OciDescriptor PushIndex(ImageReference repository, string tag, params (OciDescriptor Manifest, string Arch)[] children)
    {
        string manifests = string.Join(",", children.Select(c => $"{{\"mediaType\":\"{c.Manifest.MediaType}\",\"digest\":\"{c.Manifest.Digest}\",\"size\":{c.Manifest.Size},\"platform\":{{\"os\":\"linux\",\"architecture\":\"{c.Arch}\"}}}}"));
        string index = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{manifests}]}}";
        return Put(repository, "application/vnd.oci.image.index.v1+json", System.Text.Encoding.UTF8.GetBytes(index), tag);
    }

    public OciDescriptor Put(ImageReference repository, string mediaType, byte[] content, string? tag)
    {
        string digest = Digest(content);
        _manifests[Key(repository, digest)] = (mediaType, content);
        if (tag is not null)
        {
            _tags[Key(repository, tag)] = digest;
        }

        return new OciDescriptor(mediaType, digest, content.Length);
    }

    /// <summary>Deletes a manifest (by digest).</summary>
    public void Delete(ImageReference repository, string digest) => _manifests.TryRemove(Key(repository, digest), out _);

    public Task<OciDescriptor> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Requests);
        string digest = reference.Digest ?? (_tags.TryGetValue(Key(reference, reference.Tag!), out string? d) ? d : throw OciErrors.ReferenceMalformed.ToException("unknown tag (fake)"));
        (string mediaType, byte[] content) = _manifests[Key(reference, digest)];
        return Task.FromResult(new OciDescriptor(mediaType, digest, content.Length));
    }

    public Task<FetchedManifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Requests);
        string? digest = reference.Digest ?? (_tags.TryGetValue(Key(reference, reference.Tag!), out string? d) ? d : null);
        if (digest is null || !_manifests.TryGetValue(Key(reference, digest), out var m))
        {
            return Task.FromResult<FetchedManifest?>(null);
        }

        return Task.FromResult<FetchedManifest?>(new FetchedManifest(new OciDescriptor(m.MediaType, digest, m.Content.Length), m.Content));
    }

    public Task<ReadOnlyMemory<byte>> GetBlobAsync(ImageReference repository, OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Requests);
        byte[] content = _blobs.TryGetValue(Key(repository, blob.Digest), out byte[]? b) ? b : throw OciErrors.ReferenceMalformed.ToException("blob unknown (fake)");
        if (Digest(content) != blob.Digest)
        {
            throw OciErrors.ReferenceMalformed.ToException("blob digest mismatch (fake)");
        }

        return Task.FromResult<ReadOnlyMemory<byte>>(content);
    }

    public Task<OciDescriptor> PushBlobAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Requests);
        string digest = Digest(content.Span);
        _blobs[Key(repository, digest)] = content.ToArray();
        return Task.FromResult(new OciDescriptor(mediaType, digest, content.Length));
    }

    public Task<OciDescriptor> PushManifestAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, string? tag = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Requests);
        RequireBlobs(repository, manifest.Span);
        OciDescriptor pushed = Put(repository, mediaType, manifest.ToArray(), tag);
        if (tag is not null)
        {
            OnTagPushed?.Invoke(tag);
        }

        return Task.FromResult(pushed);
    }

    public Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Requests);
        if (ListReferrersFailure is { } failure)
        {
            throw failure;
        }

        var result = new List<OciDescriptor>();
        foreach (KeyValuePair<string, (string MediaType, byte[] Content)> pair in _manifests)
        {
            if (!pair.Key.StartsWith(subject.Registry + "/" + subject.Repository + "|", StringComparison.Ordinal))
            {
                continue;
            }

            using JsonDocument doc = JsonDocument.Parse(pair.Value.Content);
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("subject", out JsonElement s) || s.GetProperty("digest").GetString() != subject.Digest)
            {
                continue;
            }

            string? type = root.TryGetProperty("artifactType", out JsonElement t) ? t.GetString() : null;
            if (artifactType is not null && type != artifactType)
            {
                continue;
            }

            Dictionary<string, string>? annotations = root.TryGetProperty("annotations", out JsonElement a)
                ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
                : null;
            result.Add(new OciDescriptor(pair.Value.MediaType, Digest(pair.Value.Content), pair.Value.Content.Length) { ArtifactType = type, Annotations = annotations });
        }

        return Task.FromResult<IReadOnlyList<OciDescriptor>>(result);
    }

    public Task<OciDescriptor> PushReferrerAsync(ImageReference repository, string mediaType, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) =>
        PushManifestAsync(repository, mediaType, manifest, null, cancellationToken);

    private void RequireBlobs(ImageReference repository, ReadOnlySpan<byte> manifest)
    {
        var reader = new Utf8JsonReader(manifest);
        using JsonDocument doc = JsonDocument.ParseValue(ref reader);
        JsonElement root = doc.RootElement;
        IEnumerable<JsonElement> blobs = root.TryGetProperty("layers", out JsonElement l) ? l.EnumerateArray() : [];
        if (root.TryGetProperty("config", out JsonElement c))
        {
            blobs = blobs.Append(c);
        }

        foreach (JsonElement blob in blobs)
        {
            if (!_blobs.ContainsKey(Key(repository, blob.GetProperty("digest").GetString()!)))
            {
                throw new InvalidOperationException("manifest names a blob the repository lacks (a registry answers 400 MANIFEST_BLOB_UNKNOWN)");
            }
        }
    }
}
