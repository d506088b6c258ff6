using System.Diagnostics.CodeAnalysis;

namespace SupplyChain.Oci.Registry;

/// <summary>
/// An image reference: <c>[registry[:port]/]repository[:tag][@digest]</c>, with Docker Hub defaults
/// (<c>ubuntu</c> is <c>docker.io/library/ubuntu:latest</c>, registry host <c>registry-1.docker.io</c>).
/// The grammar is docker/distribution's <c>reference/regexp.go</c>, parsed by hand (no regex, so no backtracking):
/// a reference with neither tag nor digest gets the tag <c>latest</c>, as <c>docker pull</c> does. The registry is
/// normalised while parsing (<see cref="NormalizeRegistry"/>: lower case, no default port, canonical IP literals, Docker
/// Hub's aliases as <c>docker.io</c>), so every spelling of one registry gives one reference and one
/// <see cref="ToString"/>, which parses back to an equal reference.
/// </summary>
public sealed partial class ImageReference : IEquatable<ImageReference>
{
    /// <summary>The name Docker Hub references carry (<c>docker.io</c>).</summary>
    public const string DockerHub = "docker.io";

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host and optional port, normalised (<see cref="NormalizeRegistry"/>; <c>docker.io</c> for Docker Hub).</summary>
    public string Registry { get; }

    /// <summary>The repository path, such as <c>library/ubuntu</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag, or <c>null</c>.</summary>
    public string? Tag { get; }

    /// <summary>The digest, <c>algorithm:hex</c>, or <c>null</c>.</summary>
    public string? Digest { get; }

    /// <summary>The host[:port] the registry API is served from: <c>registry-1.docker.io</c> for Docker Hub, else <see cref="Registry"/>.</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>The digest when there is one, else the tag: what <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> takes.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    /// <summary>Parses a reference; throws <c>SC4001</c> when it is malformed.</summary>
    /// <param name="reference">The reference text.</param>
    /// <returns>The reference.</returns>
    public static ImageReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string? error = TryParseCore(reference, out ImageReference? result);
        return error is null ? result! : throw OciErrors.ReferenceMalformed.ToException(error);
    }

    /// <summary>Parses a reference without throwing.</summary>
    /// <param name="reference">The reference text.</param>
    /// <param name="result">The reference, when well-formed.</param>
    /// <returns>Whether <paramref name="reference"/> is well-formed.</returns>
    public static bool TryParse([NotNullWhen(true)] string? reference, [NotNullWhen(true)] out ImageReference? result)
    {
        result = null;
        return reference is not null && TryParseCore(reference, out result) is null;
    }

    /// <summary>
    /// The one spelling of a registry <c>host[:port]</c>: DNS names lower-cased; IPv4 literals in any form the system
    /// resolver accepts (<c>127.1</c>, <c>2130706433</c>, <c>0x7f.1</c>, <c>0177.0.0.1</c>, <c>[::ffff:127.0.0.1]</c>) as
    /// dotted quads; IPv6 literals in their RFC 5952 form; <c>:443</c> removed (on loopback hosts, reached over plain
    /// HTTP, <c>:80</c> instead); <c>index.docker.io</c> and <c>registry-1.docker.io</c> as <c>docker.io</c>. Throws
    /// <c>SC4001</c> for what is no host: empty labels (a trailing dot), bad characters, a port with a leading zero or out
    /// of range, a numeric host that is no IPv4 address, an IPv6 zone.
    /// </summary>
    /// <param name="registry">The registry, <c>host[:port]</c>.</param>
    /// <returns>The normalised registry.</returns>
    public static string NormalizeRegistry(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        string? error = RegistryHost.TryNormalize(registry, out string normalized);
        return error is null ? normalized : throw OciErrors.ReferenceMalformed.ToException("the registry: " + error);
    }

    /// <summary>Normalises a registry as <see cref="NormalizeRegistry"/> does, without throwing.</summary>
    /// <param name="registry">The registry, <c>host[:port]</c>.</param>
    /// <param name="normalized">The normalised registry, when valid.</param>
    /// <returns>Whether <paramref name="registry"/> is a valid <c>host[:port]</c>.</returns>
    public static bool TryNormalizeRegistry([NotNullWhen(true)] string? registry, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (registry is null || RegistryHost.TryNormalize(registry, out string result) is not null)
        {
            return false;
        }

        normalized = result;
        return true;
    }

    /// <summary>The same repository at <paramref name="digest"/> (the tag is kept for display).</summary>
    /// <param name="digest">A digest, <c>algorithm:hex</c> (sha256 or sha512); anything else is <c>SC4001</c>.</param>
    /// <returns>The new reference.</returns>
    public ImageReference WithDigest(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return OciDigest.IsValid(digest) ? new(Registry, Repository, Tag, digest) : throw OciErrors.ReferenceMalformed.ToException("the digest is not sha256:<64 hex> or sha512:<128 hex>");
    }

    /// <summary>The same repository at <paramref name="tag"/>, without a digest.</summary>
    /// <param name="tag">A tag (<c>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}</c>); anything else is <c>SC4001</c>.</param>
    /// <returns>The new reference.</returns>
    public ImageReference WithTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return IsTag(tag) ? new(Registry, Repository, tag, null) : throw OciErrors.ReferenceMalformed.ToException("the tag is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    }

    /// <inheritdoc/>
    public override string ToString() => Registry + "/" + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <inheritdoc/>
    public bool Equals(ImageReference? other) =>
        other is not null && Registry == other.Registry && Repository == other.Repository && Tag == other.Tag && Digest == other.Digest;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Registry, Repository, Tag, Digest);

    /// <summary>Whether <paramref name="tag"/> matches distribution's <c>tag := /[\w][\w.-]{0,127}/</c>.</summary>
    internal static bool IsTag(string tag)
    {
        if (tag.Length is 0 or > 128 || !IsWord(tag[0]))
        {
            return false;
        }

        foreach (char c in tag)
        {
            if (!IsWord(c) && c is not '.' and not '-')
            {
                return false;
            }
        }

        return true;
    }

    private static string? TryParseCore(string text, out ImageReference? result)
    {
        result = null;
        if (text.Length == 0)
        {
            return "the reference is empty";
        }

        if (text.Length > Limits.MaxReferenceLength)
        {
            return $"longer than {Limits.MaxReferenceLength} characters";
        }

        string? digest = null;
        int at = text.IndexOf('@', StringComparison.Ordinal);
        string name = text;
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            name = text[..at];
            if (!OciDigest.IsValid(digest))
            {
                return "the digest is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>";
            }
        }

        // A tag follows the last ':' after the last '/' (a ':' before it is a registry port).
        string? tag = null;
        int lastSlash = name.LastIndexOf('/');
        int colon = name.IndexOf(':', lastSlash + 1);
        if (colon >= 0)
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
            if (!IsTag(tag))
            {
                return "the tag is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
            }
        }

        // docker/distribution normalize.go splitDockerDomain: the first component is a registry when it contains
        // '.' or ':' or is "localhost" (or has an uppercase letter, which a repository cannot); otherwise Docker Hub.
        string registry;
        string repository;
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        string first = slash < 0 ? string.Empty : name[..slash];
        if (slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.Any(char.IsAsciiLetterUpper)))
        {
            repository = name[(slash + 1)..];
            if (RegistryHost.TryNormalize(first, out registry) is { } problem)
            {
                return "the registry is not host[:port] (DNS name, IPv4 or [IPv6]): " + problem;
            }

            // The normalised reference must read back as itself. A first component that names a registry only by its
            // uppercase letter ("Registry/app": Docker's host "Registry") is lower-cased here, and "registry/app", as
            // ToString writes it, is Docker Hub's docker.io/registry/app: two readers, two images. Refused.
            if (!registry.Contains('.', StringComparison.Ordinal) && !registry.Contains(':', StringComparison.Ordinal) && registry != "localhost")
            {
                return "the registry is a host name without a dot or a port, told from a Docker Hub namespace only by its case";
            }
        }
        else
        {
            registry = DockerHub;
            repository = name;
        }

        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        if (!IsRepository(repository))
        {
            return "the repository is not lowercase path components [a-z0-9]+ joined by '.', '_', '__' or '-', separated by '/'";
        }

        // reference.go: NameTotalLengthMax = 255 (registry and repository together).
        if (registry.Length + 1 + repository.Length > Limits.MaxNameLength)
        {
            return $"the name is longer than {Limits.MaxNameLength} characters";
        }

        result = new ImageReference(registry, repository, tag ?? (digest is null ? "latest" : null), digest);
        return null;
    }

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>path := path-component ['/' path-component]*; path-component := alpha-numeric [separator alpha-numeric]*; separator := /[_.]|__|[-]+/.</summary>
    private static bool IsRepository(string path)
    {
        foreach (string component in path.Split('/'))
        {
            if (!IsPathComponent(component))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPathComponent(string s)
    {
        if (s.Length == 0 || !IsLowerAlnum(s[0]) || !IsLowerAlnum(s[^1]))
        {
            return false;
        }

        int i = 0;
        while (i < s.Length)
        {
            if (IsLowerAlnum(s[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < s.Length && !IsLowerAlnum(s[i]))
            {
                i++;
            }

            string separator = s[start..i];
            bool valid = separator is "." or "_" or "__" || separator.All(c => c == '-');
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlnum(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
