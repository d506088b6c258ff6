namespace SupplyChain.Oci.Registry;

/// <summary>
/// A bounded in-memory cache of digest-addressed content (manifests and blobs), keyed by registry, repository and
/// digest. Content by digest is immutable, so entries never go stale; the least recently used go when the byte budget
/// is exceeded. Tags and referrers listings are never cached. Thread-safe.
/// </summary>
internal sealed class ContentCache
{
    private readonly long _capacity;
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public ContentCache(long capacity)
    {
        _capacity = capacity;
    }

    public bool TryGet(bool manifest, ImageReference repository, string digest, out string mediaType, out ReadOnlyMemory<byte> content)
    {
        string key = Key(manifest, repository, digest);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                mediaType = node.Value.MediaType;
                content = node.Value.Content;
                return true;
            }
        }

        mediaType = string.Empty;
        content = default;
        return false;
    }

    public void Add(bool manifest, ImageReference repository, string digest, string mediaType, ReadOnlyMemory<byte> content)
    {
        if (content.Length > _capacity / 4)
        {
            return;
        }

        string key = Key(manifest, repository, digest);
        lock (_lock)
        {
            if (_entries.ContainsKey(key))
            {
                return;
            }

            _entries[key] = _order.AddFirst(new Entry(key, mediaType, content));
            _bytes += content.Length;
            while (_bytes > _capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Content.Length;
            }
        }
    }

    /// <summary>Manifests and blobs are kept apart: the same bytes fetched as a blob are not a checked manifest.</summary>
    private static string Key(bool manifest, ImageReference repository, string digest) => (manifest ? "m " : "b ") + repository.Registry + "/" + repository.Repository + "@" + digest;

    private sealed record Entry(string Key, string MediaType, ReadOnlyMemory<byte> Content);
}
