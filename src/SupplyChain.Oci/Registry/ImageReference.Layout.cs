namespace SupplyChain.Oci.Registry;

/// <summary>
/// Image references to OCI image layouts on disk (image-spec <c>image-layout.md</c>), in the form skopeo uses:
/// <c>oci:PATH[:TAG][@DIGEST]</c>. A layout reference's <see cref="Registry"/> is <see cref="LayoutRegistry"/>
/// (<c>oci:</c>, which no <c>host[:port]</c> can spell) and its <see cref="Repository"/> the layout directory's absolute
/// path without the leading <c>/</c>, so its name <c>registry/repository</c>, which policy globs match, is
/// <c>oci:/absolute/path</c>: a layout directory plays the part of a repository, its tags (the
/// <c>org.opencontainers.image.ref.name</c> annotations of <c>index.json</c>) those of the repository's tags.
/// </summary>
public sealed partial class ImageReference
{
    /// <summary>The <see cref="Registry"/> of every layout reference: <c>oci:</c>.</summary>
    public const string LayoutRegistry = "oci:";

    /// <summary>Whether this reference names an OCI image layout directory rather than a registry.</summary>
    public bool IsLayout => Registry == LayoutRegistry;

    /// <summary>For a layout reference, the layout directory's absolute path; otherwise <c>null</c>.</summary>
    public string? LayoutPath => IsLayout ? "/" + Repository : null;

    /// <summary>Whether <paramref name="text"/> is written as a layout reference (it starts with <c>oci:</c>).</summary>
    /// <param name="text">A reference as given.</param>
    /// <returns><c>true</c> for <c>oci:...</c>.</returns>
    public static bool IsLayoutSyntax(string? text) => text is not null && text.StartsWith(LayoutRegistry, StringComparison.Ordinal);

    /// <summary>
    /// Parses <c>oci:PATH[:TAG][@DIGEST]</c>; throws <c>SC4001</c> when malformed. As skopeo's <c>oci:</c> transport, the
    /// path ends at the first <c>:</c>, so it cannot contain one; nor may it contain <c>@</c> or control characters. A
    /// relative path is taken from <paramref name="relativeTo"/> (the current directory when <c>null</c>) and the path is
    /// made absolute and lexically normal (no <c>.</c>, <c>..</c> or empty segments; symbolic links are left as written,
    /// so a name is what the user wrote). Without a tag or digest the reference has neither: it names the layout's only
    /// image.
    /// </summary>
    /// <param name="text">The reference, starting with <c>oci:</c>.</param>
    /// <param name="relativeTo">The directory a relative path is relative to, or <c>null</c> for the current directory.</param>
    /// <returns>The layout reference.</returns>
    public static ImageReference ParseLayout(string text, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? error = TryParseLayoutCore(text, relativeTo, out ImageReference? result);
        return error is null ? result! : throw OciErrors.ReferenceMalformed.ToException(error);
    }

    private static string? TryParseLayoutCore(string text, string? relativeTo, out ImageReference? result)
    {
        result = null;
        if (!IsLayoutSyntax(text))
        {
            return "a layout reference starts with 'oci:'";
        }

        if (text.Length > Limits.MaxReferenceLength)
        {
            return $"longer than {Limits.MaxReferenceLength} characters";
        }

        string rest = text[LayoutRegistry.Length..];
        string? digest = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!OciDigest.IsValid(digest))
            {
                return "the digest is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex> (a layout path cannot contain '@')";
            }
        }

        string? tag = null;
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!IsTag(tag))
            {
                return "the tag is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} (a layout path cannot contain ':')";
            }
        }

        if (rest.Length == 0)
        {
            return "the layout path is empty";
        }

        if (rest.Any(char.IsControl))
        {
            return "the layout path contains a control character";
        }

        string full;
        try
        {
            full = relativeTo is null ? Path.GetFullPath(rest) : Path.GetFullPath(rest, Path.GetFullPath(relativeTo));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return "the layout path is not a valid path";
        }

        full = full.TrimEnd('/');
        if (full.Length < 2 || full[0] != '/')
        {
            return "the layout path must name a directory below the file-system root";
        }

        result = new ImageReference(LayoutRegistry, full[1..], tag, digest);
        return null;
    }
}
