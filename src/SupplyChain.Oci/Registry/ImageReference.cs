using System.Text.RegularExpressions;

namespace SupplyChain.Oci.Registry;

/// <summary>
/// An image reference: <c>[registry[:port]/]repository[:tag][@digest]</c>, with Docker Hub defaults
/// (<c>ubuntu</c> is <c>docker.io/library/ubuntu</c>, registry host <c>registry-1.docker.io</c>).
/// CONTRACT (owned by branch ocicore; ocisig codes against it): Parse/TryParse, Registry, Repository, Tag, Digest,
/// WithDigest, WithTag, ToString. The ocicore helper replaces this body with the real grammar.
/// </summary>
public sealed partial class ImageReference
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
        // Interim grammar (branch policy) until ocicore's full implementation lands: registry is the first component
        // when it has a '.' or ':' or is 'localhost'; Docker Hub names get 'library/'.
        if (string.IsNullOrEmpty(reference) || reference.Length > Limits.MaxReferenceLength)
        {
            throw OciErrors.ReferenceMalformed.ToException("empty or too long");
        }

        string? digest = null;
        string rest = reference;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                throw OciErrors.ReferenceMalformed.ToException("bad digest");
            }
        }

        string? tag = null;
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                throw OciErrors.ReferenceMalformed.ToException("bad tag");
            }
        }

        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string first = slash < 0 ? string.Empty : rest[..slash];
        bool hasRegistry = slash > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        string registry = hasRegistry ? first : "docker.io";
        string repository = hasRegistry ? rest[(slash + 1)..] : rest;
        if (registry == "docker.io" && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        if (!RepositoryPattern().IsMatch(repository))
        {
            throw OciErrors.ReferenceMalformed.ToException("bad repository");
        }

        return new ImageReference(registry, repository, tag, digest);
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

    [GeneratedRegex(@"\A[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\A[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();
}
