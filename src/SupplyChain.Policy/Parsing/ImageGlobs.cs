using SupplyChain.Oci.Registry;

namespace SupplyChain.Policy.Parsing;

/// <summary>
/// Image-name globs in the spelling image names arrive in (docs/policy.md, "Image names are normalised"): a name is
/// <c>registry/repository</c> of a parsed <see cref="ImageReference"/>, whose registry is normalised (lower case, no
/// default port, canonical IP literals, Docker Hub as <c>docker.io</c>) and whose repository is lower case by grammar.
/// So a glob is lower-cased (no upper-case letter could ever match), and its registry part, when it has no <c>*</c> and
/// looks like a registry (a '.', a ':', <c>localhost</c> or an IPv6 literal, as distribution decides), is normalised as
/// <see cref="ImageReference.NormalizeRegistry"/> does: a rule for <c>registry.example:443/apps/**</c> is one for
/// <c>registry.example/apps/**</c>, and <c>127.1:5000/**</c> one for <c>127.0.0.1:5000/**</c>; on Docker Hub a single
/// repository component gets <c>library/</c> as references do (<c>docker.io/debian</c> is <c>docker.io/library/debian</c>).
/// A registry part with a <c>*</c> is only lower-cased: its port, if any, is matched as names carry it.
/// </summary>
internal static class ImageGlobs
{
    /// <summary>The glob in the spelling of normalised names; <c>SC5010</c> when its registry part is no registry.</summary>
    public static string Normalize(string glob, string path, string? baseDirectory = null)
    {
        if (ImageReference.IsLayoutSyntax(glob))
        {
            return NormalizeLayout(glob, path, baseDirectory);
        }

        string lower = glob.ToLowerInvariant();
        int slash = lower.IndexOf('/', StringComparison.Ordinal);
        string first = slash < 0 ? lower : lower[..slash];
        string rest = slash < 0 ? string.Empty : lower[slash..];
        if (rest.Contains('[', StringComparison.Ordinal) || rest.Contains(']', StringComparison.Ordinal))
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{path}: '{Shorten(glob)}' is not an image-name glob ('[' and ']' only around an IPv6 registry)");
        }

        if (slash < 0 || first.Contains('*', StringComparison.Ordinal) || !LooksLikeRegistry(first))
        {
            return first.Contains('[', StringComparison.Ordinal) && first.Contains('*', StringComparison.Ordinal)
                ? throw PolicyErrors.PolicyGlobRegistryInvalid.ToException($"{path}: '{Shorten(glob)}' has '*' in an IPv6 literal")
                : lower;
        }

        if (!ImageReference.TryNormalizeRegistry(first, out string? registry))
        {
            throw PolicyErrors.PolicyGlobRegistryInvalid.ToException($"{path}: the registry part of '{Shorten(glob)}' is not host[:port] (a DNS name in lower-case labels without a trailing dot, an IPv4 address or [IPv6], a port 1-65535 without leading zeros)");
        }

        // Docker Hub's official images live under library/, as references say (docker.io/debian is docker.io/library/debian).
        bool oneComponent = rest.Length > 1 && !rest[1..].Contains('/', StringComparison.Ordinal) && !rest.Contains("**", StringComparison.Ordinal);
        return registry == ImageReference.DockerHub && oneComponent ? registry + "/library" + rest : registry + rest;
    }

    /// <summary>
    /// An image name (<c>registry/repository</c>) in its normalised spelling, for callers that pass a name they did not
    /// take from an <see cref="ImageReference"/>; a name that does not parse is only lower-cased (it matches what it can).
    /// </summary>
    public static string NormalizeName(string imageName)
    {
        // Layout names (oci:/absolute/path) are file paths: case-sensitive, already absolute and lexically normal.
        if (ImageReference.IsLayoutSyntax(imageName))
        {
            return imageName;
        }

        int slash = imageName.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && ImageReference.TryNormalizeRegistry(imageName[..slash], out string? registry))
        {
            return registry + imageName[slash..].ToLowerInvariant();
        }

        return imageName.ToLowerInvariant();
    }

    /// <summary>
    /// A layout glob, <c>oci:PATH</c>: a layout's name is <c>oci:</c> and its directory's absolute path
    /// (<see cref="ImageReference.ParseLayout"/>), so the glob's path is made absolute the same way (a relative one from
    /// the policy file's folder, as key paths are) and lexically normal; its case is kept (paths are case-sensitive).
    /// </summary>
    private static string NormalizeLayout(string glob, string path, string? baseDirectory)
    {
        string layoutPath = glob[ImageReference.LayoutRegistry.Length..];
        if (layoutPath.Length == 0 || (!Path.IsPathFullyQualified(layoutPath) && baseDirectory is null))
        {
            throw PolicyErrors.PolicyGlobRegistryInvalid.ToException($"{path}: the layout glob '{Shorten(glob)}' needs an absolute path, or the policy's folder for a relative one (load the policy from a file)");
        }

        string full = Path.GetFullPath(layoutPath, baseDirectory ?? "/").TrimEnd('/');
        return full.Length > 1 ? ImageReference.LayoutRegistry + full : throw PolicyErrors.PolicyGlobRegistryInvalid.ToException($"{path}: the layout glob '{Shorten(glob)}' names the file-system root");
    }

    /// <summary>distribution's splitDockerDomain: the first component is a registry when it has a '.' or ':' or is <c>localhost</c> (and an IPv6 literal).</summary>
    private static bool LooksLikeRegistry(string first) =>
        first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.StartsWith('[');

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
