using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SupplyChain.Core.Attestations;

/// <summary>
/// A package URL (purl-spec, ECMA-427): <c>pkg:type/namespace/name@version?qualifiers#subpath</c>. SLSA provenance names
/// the images a build consumed with purls (BuildKit: <c>pkg:docker/alpine@3.17?platform=linux%2Famd64</c>). This is the
/// generic grammar only: the components are split and percent-decoded as the spec's "How to parse a purl string" says;
/// type-specific normalisations (pypi's lower-casing, for instance) are the caller's, except that the type and
/// qualifier keys are lower-cased as the spec requires for every type. Immutable.
/// </summary>
public sealed class PackageUrl
{
    private static readonly IReadOnlyDictionary<string, string> NoQualifiers = new Dictionary<string, string>();

    /// <summary>Creates a purl from its components (decoded), checking what the spec requires of each.</summary>
    /// <param name="type">The package type (<c>docker</c>, <c>oci</c>): ASCII letters, digits, <c>.</c>, <c>+</c>, <c>-</c>, not starting with a digit.</param>
    /// <param name="namespace">The namespace, segments separated by <c>/</c>, or <c>null</c>.</param>
    /// <param name="name">The name (required).</param>
    /// <param name="version">The version, or <c>null</c>.</param>
    /// <param name="qualifiers">The qualifiers (keys: ASCII letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, not starting with a digit); empty values are dropped.</param>
    /// <param name="subpath">The subpath, or <c>null</c>.</param>
    /// <exception cref="ArgumentException">A component the spec does not allow.</exception>
    public PackageUrl(string type, string? @namespace, string name, string? version = null, IReadOnlyDictionary<string, string>? qualifiers = null, string? subpath = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidType(type))
        {
            throw new ArgumentException($"'{type}' is not a purl type", nameof(type));
        }

        if (name.Length == 0)
        {
            throw new ArgumentException("a purl needs a name", nameof(name));
        }

        var normalized = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in qualifiers ?? NoQualifiers)
        {
            string lower = key.ToLowerInvariant();
            if (!IsValidKey(lower) || !normalized.TryAdd(lower, value))
            {
                throw new ArgumentException($"'{key}' is not a valid, unique qualifier key", nameof(qualifiers));
            }

            if (value.Length == 0)
            {
                normalized.Remove(lower);
            }
        }

        Type = type.ToLowerInvariant();
        Namespace = string.IsNullOrEmpty(@namespace) ? null : string.Join('/', @namespace.Split('/', StringSplitOptions.RemoveEmptyEntries));
        Name = name;
        Version = string.IsNullOrEmpty(version) ? null : version;
        Qualifiers = normalized;
        Subpath = string.IsNullOrEmpty(subpath) ? null : subpath;
    }

    /// <summary>The type, lower case.</summary>
    public string Type { get; }

    /// <summary>The namespace (decoded segments joined by <c>/</c>), or <c>null</c>.</summary>
    public string? Namespace { get; }

    /// <summary>The name, decoded.</summary>
    public string Name { get; }

    /// <summary>The version, decoded, or <c>null</c>.</summary>
    public string? Version { get; }

    /// <summary>The qualifiers: lower-case keys, decoded values, none empty.</summary>
    public IReadOnlyDictionary<string, string> Qualifiers { get; }

    /// <summary>The subpath (decoded segments joined by <c>/</c>, without <c>.</c> and <c>..</c>), or <c>null</c>.</summary>
    public string? Subpath { get; }

    /// <summary>Parses a purl string.</summary>
    /// <param name="text">The purl.</param>
    /// <param name="purl">The purl, when it parses.</param>
    /// <param name="reason">Why it does not, otherwise.</param>
    /// <returns>Whether it parses.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PackageUrl? purl, [NotNullWhen(false)] out string? reason)
    {
        purl = null;
        reason = Parse(text, ref purl);
        return reason is null;
    }

    /// <summary>The canonical form (purl-spec "How to build purl string output"): lower-case type, sorted qualifiers, percent-encoding of everything but unreserved characters and <c>:</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("pkg:").Append(Type).Append('/');
        if (Namespace is not null)
        {
            text.AppendJoin('/', Namespace.Split('/').Select(Encode)).Append('/');
        }

        text.Append(Encode(Name));
        if (Version is not null)
        {
            text.Append('@').Append(Encode(Version));
        }

        if (Qualifiers.Count > 0)
        {
            text.Append('?').AppendJoin('&', Qualifiers.Select(q => q.Key + "=" + Encode(q.Value)));
        }

        if (Subpath is not null)
        {
            text.Append('#').AppendJoin('/', Subpath.Split('/').Select(Encode));
        }

        return text.ToString();
    }

    // purl-spec "How to parse a purl string into its components", step by step.
    private static string? Parse(string? text, ref PackageUrl? purl)
    {
        if (string.IsNullOrEmpty(text) || text.Length > Limits.MaxPackageUrlLength)
        {
            return $"empty or longer than {Limits.MaxPackageUrlLength} characters";
        }

        // "Split the purl string once from right on '#'": the subpath; discard '.', '..' and empty segments.
        string remainder = text;
        string? subpath = null;
        int hash = remainder.LastIndexOf('#');
        if (hash >= 0)
        {
            var segments = new List<string>();
            foreach (string segment in remainder[(hash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Decode(segment) is not { } decoded)
                {
                    return "the subpath has an invalid percent-encoding";
                }

                if (decoded is not ("." or ".."))
                {
                    segments.Add(decoded);
                }
            }

            subpath = segments.Count == 0 ? null : string.Join('/', segments);
            remainder = remainder[..hash];
        }

        // "Split the remainder once from right on '?'": the qualifiers, '&'-separated key=value pairs.
        var qualifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        int question = remainder.LastIndexOf('?');
        if (question >= 0)
        {
            foreach (string pair in remainder[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                string key = (equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
                if (!IsValidKey(key))
                {
                    return $"'{Shorten(key)}' is not a qualifier key (letters, digits, '.', '_', '-', not starting with a digit)";
                }

                if (Decode(equals < 0 ? "" : pair[(equals + 1)..]) is not { } value)
                {
                    return $"qualifier '{key}' has an invalid percent-encoding";
                }

                if (qualifiers.ContainsKey(key))
                {
                    return $"qualifier '{key}' appears twice";
                }

                if (value.Length > 0)
                {
                    qualifiers[key] = value;
                }
            }

            remainder = remainder[..question];
        }

        // "Split the remainder once from left on ':'": the scheme, which must be 'pkg'.
        int colon = remainder.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !remainder[..colon].Equals("pkg", StringComparison.OrdinalIgnoreCase))
        {
            return "the scheme is not 'pkg:'";
        }

        // "Strip the remainder from leading and trailing '/'", then the type up to the first '/'.
        remainder = remainder[(colon + 1)..].Trim('/');
        int slash = remainder.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IsValidType(remainder[..slash]))
        {
            return "no valid type (letters, digits, '.', '+', '-', not starting with a digit) followed by '/'";
        }

        string type = remainder[..slash].ToLowerInvariant();
        remainder = remainder[(slash + 1)..];

        // "Split the remainder once from right on '@'": the version.
        string? version = null;
        int at = remainder.LastIndexOf('@');
        if (at >= 0)
        {
            version = Decode(remainder[(at + 1)..]);
            if (version is null)
            {
                return "the version has an invalid percent-encoding";
            }

            remainder = remainder[..at];
        }

        // "Split the remainder once from right on '/'": the name; the rest, segment by segment, is the namespace.
        remainder = remainder.Trim('/');
        int last = remainder.LastIndexOf('/');
        string? name = Decode(last < 0 ? remainder : remainder[(last + 1)..]);
        if (string.IsNullOrEmpty(name))
        {
            return "no name (or an invalid percent-encoding in it)";
        }

        string? @namespace = null;
        if (last > 0)
        {
            var segments = new List<string>();
            foreach (string segment in remainder[..last].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Decode(segment) is not { Length: > 0 } decoded || decoded.Contains('/', StringComparison.Ordinal))
                {
                    return "a namespace segment has an invalid percent-encoding or an encoded '/'";
                }

                segments.Add(decoded);
            }

            @namespace = string.Join('/', segments);
        }

        purl = new PackageUrl(type, @namespace, name, version, qualifiers, subpath);
        return null;
    }

    private static bool IsValidType(string type) =>
        type.Length > 0 && !char.IsAsciiDigit(type[0]) && type.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-');

    private static bool IsValidKey(string key) =>
        key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Percent-decodes UTF-8; <c>null</c> for a bad escape or bytes that are not UTF-8.</summary>
    private static string? Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                int end = value.IndexOf('%', i);
                end = end < 0 ? value.Length : end;
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i..end]));
                i = end - 1;
                continue;
            }

            if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
            {
                return null;
            }

            bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Percent-encodes all but the unreserved characters (RFC 3986) and <c>:</c>, which the spec leaves as is.</summary>
    private static string Encode(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':'))
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
