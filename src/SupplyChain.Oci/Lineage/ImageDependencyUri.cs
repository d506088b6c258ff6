using SupplyChain.Core.Attestations;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// Locates the image a provenance dependency's <c>uri</c> names, and writes one. Three spellings are read:
/// <list type="bullet">
/// <item><c>pkg:docker/NAMESPACE/NAME@VERSION</c> (purl-spec docker type: "The namespace is the registry/user/organization
/// if present", "The version should be the image id sha256 or a tag", default repository Docker Hub, or the
/// <c>repository_url</c> qualifier). BuildKit writes the familiar name (<c>alpine</c>, <c>ghcr.io/org/app</c>) split at
/// the last <c>/</c>, the tag as version, and <c>digest</c> and <c>platform</c> (<c>os/arch[/variant]</c>) qualifiers;</item>
/// <item><c>pkg:oci/NAME@sha256%3A...?repository_url=REGISTRY/REPOSITORY</c> (purl-spec oci type: no namespace, the name
/// is "the last fragment of the repository name", the version "is the sha256:hex_encoded_lowercase_digest", and without
/// <c>repository_url</c> a purl is "registry agnostic", so it cannot be located here); <c>arch</c> qualifier;</item>
/// <item>an image reference with a digest (<c>registry.example/base@sha256:...</c>).</item>
/// </list>
/// Every digest the dependency states (its <c>digest</c> map, the purl's version or <c>digest</c> qualifier, the
/// reference's digest) must be one and the same.
/// </summary>
public static class ImageDependencyUri
{
    private const string DockerPrefix = "pkg:docker/";
    private const string OciPrefix = "pkg:oci/";

    /// <summary>Whether <paramref name="uri"/> names an image: a <c>pkg:docker</c> or <c>pkg:oci</c> purl, or a reference with a digest.</summary>
    /// <param name="uri">A dependency's uri.</param>
    public static bool IsImage(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.StartsWith(DockerPrefix, StringComparison.OrdinalIgnoreCase) || uri.StartsWith(OciPrefix, StringComparison.OrdinalIgnoreCase)
            || (!uri.Contains("://", StringComparison.Ordinal) && !uri.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase) && uri.Contains("@sha", StringComparison.Ordinal)
                && ImageReference.TryParse(uri, out ImageReference? reference) && reference.Digest is not null);
    }

    /// <summary>The <c>pkg:docker</c> purl BuildKit would write for <paramref name="image"/> (familiar name, tag as version, <c>digest</c> and <c>platform</c> qualifiers); a registry other than Docker Hub leads the namespace.</summary>
    /// <param name="image">The image, with a digest.</param>
    /// <param name="platform">The platform the build used it for, or <c>null</c>.</param>
    /// <returns>The purl.</returns>
    public static string ToPurl(ImageReference image, OciPlatform? platform)
    {
        ArgumentNullException.ThrowIfNull(image);
        string familiar = image.Registry == ImageReference.DockerHub && image.Repository.StartsWith("library/", StringComparison.Ordinal) && image.Repository.Count(c => c == '/') == 1
            ? image.Repository["library/".Length..]
            : image.Registry == ImageReference.DockerHub ? image.Repository : image.Registry + "/" + image.Repository;
        int slash = familiar.LastIndexOf('/');
        var qualifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (image.Digest is not null)
        {
            qualifiers["digest"] = image.Digest;
        }

        if (platform is not null)
        {
            qualifiers["platform"] = platform.Os + "/" + platform.Architecture + (platform.Variant is null ? "" : "/" + platform.Variant);
        }

        return new PackageUrl("docker", slash < 0 ? null : familiar[..slash], familiar[(slash + 1)..], image.Tag ?? (image.Digest is null ? "latest" : null), qualifiers).ToString();
    }

    /// <summary>Locates the image <paramref name="uri"/> names.</summary>
    /// <param name="uri">The dependency's uri (<see cref="IsImage"/>).</param>
    /// <param name="recordedDigest">The dependency's <c>digest</c> map entry, <c>algorithm:hex</c>, or <c>null</c>.</param>
    /// <param name="image">The located image.</param>
    /// <returns><c>null</c> when located, else why not.</returns>
    internal static string? TryLocate(string uri, string? recordedDigest, out ImageDependency? image)
    {
        image = null;
        var digests = new List<string>(3);
        if (recordedDigest is not null)
        {
            digests.Add(recordedDigest);
        }

        string? location;
        string? os = null, architecture = null, variant = null;
        if (!uri.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
        {
            ImageReference reference = ImageReference.Parse(uri);
            digests.Add(reference.Digest!);
            location = reference.Registry + "/" + reference.Repository + (reference.Tag is null ? "" : ":" + reference.Tag);
        }
        else
        {
            if (!PackageUrl.TryParse(uri, out PackageUrl? purl, out string? reason))
            {
                return "not a purl: " + reason;
            }

            string? error = purl.Type == "docker" ? Docker(purl, digests, out location) : Oci(purl, digests, out location);
            if (error is not null)
            {
                return error;
            }

            if (purl.Qualifiers.TryGetValue("platform", out string? platform))
            {
                string[] parts = platform.Split('/');
                if (parts.Length is not (2 or 3) || parts.Any(p => p.Length is 0 or > 64))
                {
                    return $"its platform qualifier '{Shorten(platform)}' is not os/arch[/variant]";
                }

                (os, architecture, variant) = (parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
            }

            if (purl.Qualifiers.TryGetValue("arch", out string? arch))
            {
                if (architecture is not null && architecture != arch)
                {
                    return "its platform and arch qualifiers disagree";
                }

                architecture = arch;
            }
        }

        if (digests.Count == 0)
        {
            return "it records no digest (a tag alone is mutable)";
        }

        if (digests.Distinct(StringComparer.Ordinal).Count() > 1)
        {
            return "the digests it states disagree (" + string.Join(", ", digests.Distinct(StringComparer.Ordinal)) + ")";
        }

        image = new ImageDependency(uri, ImageReference.Parse(location + "@" + digests[0]), os, architecture, variant);
        return null;
    }

    private static string? Docker(PackageUrl purl, List<string> digests, out string? location)
    {
        location = null;
        string name = purl.Namespace is null ? purl.Name : purl.Namespace + "/" + purl.Name;
        if (purl.Qualifiers.TryGetValue("repository_url", out string? repositoryUrl))
        {
            if (Host(repositoryUrl) is not { } host)
            {
                return $"its repository_url '{Shorten(repositoryUrl)}' is not a registry";
            }

            name = host + "/" + name;
        }

        string? tag = null;
        if (purl.Version is { } version)
        {
            if (version.StartsWith("sha256:", StringComparison.Ordinal) || version.StartsWith("sha512:", StringComparison.Ordinal))
            {
                digests.Add(version);
            }
            else
            {
                tag = version;
            }
        }

        if (purl.Qualifiers.TryGetValue("digest", out string? digest))
        {
            digests.Add(digest);
        }

        return Location(name, tag, digests, out location);
    }

    private static string? Oci(PackageUrl purl, List<string> digests, out string? location)
    {
        location = null;
        if (purl.Namespace is not null)
        {
            return "an oci purl has no namespace (purl-spec: prohibited)";
        }

        if (!purl.Qualifiers.TryGetValue("repository_url", out string? repositoryUrl))
        {
            return "an oci purl without repository_url is registry agnostic: it names no place to fetch from";
        }

        string repository = repositoryUrl.Contains("://", StringComparison.Ordinal) ? repositoryUrl[(repositoryUrl.IndexOf("://", StringComparison.Ordinal) + 3)..] : repositoryUrl;
        repository = repository.TrimEnd('/');
        if (!repository.EndsWith("/" + purl.Name, StringComparison.OrdinalIgnoreCase))
        {
            return $"its name '{Shorten(purl.Name)}' is not the last fragment of its repository_url";
        }

        if (purl.Version is { } version)
        {
            digests.Add(version);
        }

        return Location(repository, purl.Qualifiers.GetValueOrDefault("tag"), digests, out location);
    }

    /// <summary>Checks <paramref name="name"/> is a repository (no tag, no digest), <paramref name="tag"/> a tag and the digests digests; the location is <c>registry/repository[:tag]</c>, normalised.</summary>
    private static string? Location(string name, string? tag, List<string> digests, out string? location)
    {
        location = null;
        bool bare = !name.Contains('@', StringComparison.Ordinal) && !name[(name.LastIndexOf('/') + 1)..].Contains(':', StringComparison.Ordinal);
        if (!bare || !ImageReference.TryParse(name, out ImageReference? parsed))
        {
            return $"'{Shorten(name)}' is not a repository";
        }

        if (digests.FirstOrDefault(d => !OciDigest.IsValid(d)) is { } bad)
        {
            return $"'{Shorten(bad)}' is not a sha256 or sha512 digest";
        }

        if (tag is not null && !ImageReference.TryParse(name + ":" + tag, out _))
        {
            return $"'{Shorten(tag)}' is not a tag";
        }

        location = parsed.Registry + "/" + parsed.Repository + (tag is null ? "" : ":" + tag);
        return null;
    }

    /// <summary>The registry of a <c>repository_url</c> (<c>gcr.io</c>, <c>https://gcr.io</c>): a host and port, nothing else.</summary>
    private static string? Host(string repositoryUrl)
    {
        string host = repositoryUrl.Contains("://", StringComparison.Ordinal) ? repositoryUrl[(repositoryUrl.IndexOf("://", StringComparison.Ordinal) + 3)..] : repositoryUrl;
        host = host.TrimEnd('/');
        return !host.Contains('/', StringComparison.Ordinal) && ImageReference.TryNormalizeRegistry(host, out string? normalized) ? normalized : null;
    }

    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "...";
}
