namespace SupplyChain.Oci.Registry.Transport;

/// <summary>
/// Which scheme a registry is reached with: HTTPS, except plain HTTP for loopback hosts (<c>localhost</c>,
/// 127.0.0.0/8, ::1) and for hosts the options allow insecure. Any other plain-HTTP URL (a token realm, an upload
/// Location, a Link) is refused with <c>SC4009</c>.
/// </summary>
internal sealed class RegistryEndpoints
{
    private readonly bool _allowAll;
    private readonly HashSet<string> _insecure;

    public RegistryEndpoints(bool allowAll, IEnumerable<string> insecure)
    {
        _allowAll = allowAll;

        // Normalised as references are (so --allow-insecure-registry Registry.Internal:443 names registry.internal).
        _insecure = new HashSet<string>(insecure.Select(h => ImageReference.TryNormalizeRegistry(h, out string? n) ? n : h.ToLowerInvariant()), StringComparer.Ordinal);
    }

    /// <summary>The base URI of a registry API host (<c>host[:port]</c>).</summary>
    public Uri Base(string apiHost) => new((MayUseHttp(apiHost) ? "http://" : "https://") + apiHost);

    /// <summary>Whether plain HTTP is allowed for <paramref name="authority"/> (<c>host[:port]</c>).</summary>
    public bool MayUseHttp(string authority)
    {
        if (_allowAll || _insecure.Contains(authority.ToLowerInvariant()))
        {
            return true;
        }

        string host = authority;
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.IndexOf(':', StringComparison.Ordinal) is int colon and >= 0)
        {
            if (_insecure.Contains(host[..colon].ToLowerInvariant()))
            {
                return true;
            }

            host = host[..colon];
        }

        return RegistryHost.IsLoopback(host.ToLowerInvariant());
    }

    /// <summary>Checks a URL the registry sent (Location, Link, realm): absolute http(s), and plain HTTP only where allowed.</summary>
    public void Check(Uri uri, string what)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw OciErrors.RegistryResponseMalformed.ToException($"{what} is not an absolute http(s) URL");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !MayUseHttp(uri.Authority))
        {
            throw OciErrors.InsecureRegistryRefused.ToException($"{what} is plain HTTP to {uri.Authority}, which is neither loopback nor allowed insecure");
        }
    }
}
