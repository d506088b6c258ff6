namespace SupplyChain.Core.Bundles;

/// <summary>Untrusted text made safe to quote in an error message: cut short, control characters replaced.</summary>
internal static class Printable
{
    public static string Cut(string value)
    {
        string cut = value.Length > 80 ? value[..80] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
