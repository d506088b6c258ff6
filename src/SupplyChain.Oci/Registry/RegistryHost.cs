using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SupplyChain.Oci.Registry;

/// <summary>
/// The one spelling of a registry <c>host[:port]</c>, so that rules, caches, credentials and output never disagree
/// about which registry a reference names (docs/policy.md, "Image names are normalised"):
/// <list type="bullet">
/// <item>DNS names are lower-cased (RFC 4343: "domain name comparisons ... are done in a case-insensitive manner").</item>
/// <item>IPv4 literals in every form the system resolver accepts (glibc <c>inet_aton</c>: <c>127.1</c>, <c>2130706433</c>,
/// <c>0x7f.1</c>, octal <c>0177.0.0.1</c>) become dotted quads; an IPv4-mapped IPv6 literal (<c>[::ffff:127.0.0.1]</c>)
/// becomes its IPv4 address; other IPv6 literals take their RFC 5952 form. A host whose last label is numeric but that
/// is no IPv4 address (<c>1.2.3.4.5</c>, <c>256.1.1.1</c>) is refused: no resolver reaches it by name either.</item>
/// <item>The default port goes: <c>:443</c> (HTTPS, how registries are reached), except on loopback hosts, which are
/// always reached over plain HTTP, so there <c>:80</c> goes and <c>:443</c> stays (it names another port).</item>
/// <item>Docker Hub's names (<c>index.docker.io</c>, <c>registry-1.docker.io</c>) become <c>docker.io</c>.</item>
/// </list>
/// Refused: an empty label (so a trailing dot), a label over 63 characters or with other than letters, digits and
/// inner hyphens, a port with a leading zero, port 0 or above 65535, and IPv6 zone identifiers.
/// </summary>
internal static class RegistryHost
{
    /// <summary>Docker Hub's canonical registry name.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>Normalises <paramref name="domain"/> (<c>host[:port]</c>); returns the problem, or <c>null</c> with the normalised form.</summary>
    public static string? TryNormalize(string domain, out string normalized)
    {
        normalized = string.Empty;
        string host;
        string? port = null;
        bool ipv6 = domain.StartsWith('[');
        if (ipv6)
        {
            int close = domain.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "the IPv6 literal has no ']'";
            }

            host = domain[1..close];
            string rest = domain[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return "the IPv6 literal is followed by something other than ':port'";
                }

                port = rest[1..];
            }
        }
        else
        {
            int colon = domain.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? domain : domain[..colon];
            port = colon < 0 ? null : domain[(colon + 1)..];
        }

        if (port is not null && !IsPort(port))
        {
            return "the port is not 1-65535 without leading zeros";
        }

        string? problem = ipv6 ? NormalizeIPv6(host, out host) : NormalizeName(host, out host);
        if (problem is not null)
        {
            return problem;
        }

        if (port == (IsLoopback(host) ? "80" : "443"))
        {
            port = null;
        }

        string result = port is null ? host : host + ":" + port;
        normalized = result is "index.docker.io" or "registry-1.docker.io" ? DockerHub : result;
        return null;
    }

    /// <summary>Whether a normalised host (no port) is loopback: <c>localhost</c>, 127.0.0.0/8 or <c>[::1]</c>.</summary>
    public static bool IsLoopback(string host)
    {
        if (host == "localhost")
        {
            return true;
        }

        string address = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(address, out IPAddress? ip) && IPAddress.IsLoopback(ip);
    }

    private static string? NormalizeIPv6(string text, out string host)
    {
        host = string.Empty;

        // distribution reference/regexp.go: ipv6address := `\[(?:[a-fA-F0-9:]+)\]`; the dotted tail of a mapped
        // address is accepted as well (System.Net reads it), a zone identifier ('%') is not.
        if (text.Length == 0 || !text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
            || !IPAddress.TryParse(text, out IPAddress? ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "the IPv6 literal is not an IPv6 address";
        }

        host = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : "[" + ip + "]";
        return null;
    }

    private static string? NormalizeName(string text, out string host)
    {
        host = string.Empty;

        // domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/ (distribution reference/regexp.go).
        string[] labels = text.Split('.');
        foreach (string label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return "the host is not a DNS name (letters, digits and inner '-' in non-empty labels of at most 63), IPv4 or [IPv6]";
            }
        }

        if (TryParseInetAton(text, out uint address))
        {
            host = new IPAddress([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]).ToString();
            return null;
        }

        if (LooksNumeric(labels[^1]))
        {
            return "the host ends in a numeric label but is not an IPv4 address";
        }

        host = text.ToLowerInvariant();
        return null;
    }

    /// <summary>A label the IPv4 parser would claim: decimal digits, or <c>0x</c> and hex digits.</summary>
    private static bool LooksNumeric(string label) =>
        label.All(char.IsAsciiDigit) || (label.Length >= 2 && label[0] == '0' && label[1] is 'x' or 'X' && label[2..].All(char.IsAsciiHexDigit));

    /// <summary>
    /// glibc's <c>inet_aton</c> (resolv/inet_addr.c), which <c>getaddrinfo</c> uses for numeric hosts: one to four
    /// parts separated by '.', each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
    /// </summary>
    private static bool TryParseInetAton(string text, out uint address)
    {
        address = 0;
        var parts = new List<uint>(4);
        int i = 0;
        ulong value;
        bool digit;
        while (true)
        {
            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = 0;
            int numberBase = 10;
            digit = false;
            if (text[i] == '0')
            {
                i++;
                if (i < text.Length && text[i] is 'x' or 'X')
                {
                    numberBase = 16;
                    i++;
                }
                else
                {
                    numberBase = 8;
                    digit = true;
                }
            }

            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsAsciiDigit(c) && !(numberBase == 8 && c is '8' or '9'))
                {
                    value = (value * (ulong)numberBase) + (ulong)(c - '0');
                }
                else if (numberBase == 16 && char.IsAsciiHexDigit(c))
                {
                    value = (value * 16) + (ulong)(char.ToLowerInvariant(c) - 'a' + 10);
                }
                else if (char.IsAsciiDigit(c))
                {
                    return false;
                }
                else
                {
                    break;
                }

                if (value > uint.MaxValue)
                {
                    return false;
                }

                digit = true;
                i++;
            }

            if (i < text.Length && text[i] == '.')
            {
                if (parts.Count >= 3 || value > 0xff)
                {
                    return false;
                }

                parts.Add((uint)value);
                i++;
                continue;
            }

            break;
        }

        if (i != text.Length || !digit)
        {
            return false;
        }

        // The last part fills what the earlier ones left: a (32 bits), a.b (24), a.b.c (16), a.b.c.d (8).
        ulong ceiling = parts.Count switch { 0 => uint.MaxValue, 1 => 0xffffff, 2 => 0xffff, _ => 0xff };
        if (value > ceiling)
        {
            return false;
        }

        uint result = (uint)value;
        for (int p = 0; p < parts.Count; p++)
        {
            result |= parts[p] << (24 - (8 * p));
        }

        address = result;
        return true;
    }

    private static bool IsPort(string port) =>
        port.Length is > 0 and <= 5 && port.All(char.IsAsciiDigit) && port[0] != '0' && int.Parse(port, CultureInfo.InvariantCulture) <= 65535;
}
