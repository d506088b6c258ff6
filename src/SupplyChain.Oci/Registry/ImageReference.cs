namespace SupplyChain.Oci.Registry;

/// <summary>
/// An image reference: <c>[registry[:port]/]repository[:tag][@digest]</c>, with Docker Hub defaults
/// (<c>ubuntu</c> is <c>docker.io/library/ubuntu</c>, registry host <c>registry-1.docker.io</c>).
/// CONTRACT (owned by branch ocicore; ocisig codes against it): Parse/TryParse, Registry, Repository, Tag, Digest,
/// WithDigest, WithTag, ToString. The ocicore helper replaces this body with the real grammar.
/// </summary>
public sealed class ImageReference
{
    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host and optional port as written (<c>docker.io</c> for Docker Hub).</summary>
    public string Registry { get; }

    /// <summary>The repository path, such as <c>library/ubuntu</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, or <c>null</c>.</summary>
    public string? Tag { get; }

    /// <summary>The digest, <c>algorithm:hex</c>, or <c>null</c>.</summary>
    public string? Digest { get; }

    /// <summary>Parses a reference; throws <c>SC4001</c> when it is malformed.</summary>
    /// <param name="reference">The reference text.</param>
    /// <returns>The reference.</returns>
    public static ImageReference Parse(string reference)
    {
        // Placeholder grammar until branch ocicore lands (its file wins the merge).
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length == 0 || reference.Length > Limits.MaxReferenceLength || reference.Any(char.IsWhiteSpace))
        {
            throw OciErrors.ReferenceMalformed.ToException();
        }

        string rest = reference;
        string? digest = null;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }

        string? tag = null;
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string first = slash < 0 ? "" : rest[..slash];
        bool hasRegistry = slash > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        string registry = hasRegistry ? first : "docker.io";
        string repository = hasRegistry ? rest[(slash + 1)..] : (slash < 0 ? "library/" + rest : rest);
        if (repository.Length == 0 || (tag is not null && tag.Length == 0) || (digest is not null && digest.Length == 0))
        {
            throw OciErrors.ReferenceMalformed.ToException();
        }

        return new ImageReference(registry, repository, tag ?? (digest is null ? "latest" : null), digest);
    }

    /// <summary>The same repository at <paramref name="digest"/> (the tag is kept for display).</summary>
    /// <param name="digest">A digest, <c>algorithm:hex</c>.</param>
    /// <returns>The new reference.</returns>
    public ImageReference WithDigest(string digest) => new(Registry, Repository, Tag, digest);

    /// <summary>The same repository at <paramref name="tag"/>, without a digest.</summary>
    /// <param name="tag">A tag.</param>
    /// <returns>The new reference.</returns>
    public ImageReference WithTag(string tag) => new(Registry, Repository, tag, null);

    /// <inheritdoc/>
    public override string ToString() => Registry + "/" + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}
