using System.Globalization;
using System.Text.RegularExpressions;

namespace SupplyChain.Tuf.Metadata;

/// <summary>
/// Parses TUF <c>expires</c> strings. The spec writes <c>YYYY-MM-DDTHH:MM:SSZ</c>; real Sigstore roots v1-v3 also carry
/// fractional seconds up to nanoseconds and UTC offsets (<c>2021-12-18T13:28:12.99008-06:00</c>), which are accepted.
/// </summary>
internal static partial class TufTime
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        Match m = ExpiresPattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        // .NET keeps 7 fractional digits (100 ns ticks); extra digits are truncated.
        string fraction = m.Groups["f"].Success ? m.Groups["f"].Value : string.Empty;
        if (fraction.Length > 7)
        {
            fraction = fraction[..7];
        }

        string zone = m.Groups["z"].Value == "Z" ? "+00:00" : m.Groups["z"].Value;
        string normalized = m.Groups["t"].Value + (fraction.Length > 0 ? "." + fraction.PadRight(7, '0') : ".0000000") + zone;
        return DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^(?<t>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?<f>\d{1,9}))?(?<z>Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpiresPattern();
}
