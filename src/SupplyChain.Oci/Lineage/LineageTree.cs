using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// The result of a lineage walk: the levels from the top image down to where the walk ended. A failed walk keeps
/// the levels it had read and carries the error code; the failure concerns the claim of the last level.
/// </summary>
public sealed class LineageTree
{
    /// <summary>The media type of <see cref="ToJson"/>'s output.</summary>
    public const string MediaType = "application/vnd.supplychain.lineage.v1+json";

    internal LineageTree(ImageReference image, IReadOnlyList<LineageLevel> levels, LineageEnd end, SupplyChainException? error)
    {
        Image = image;
        Levels = levels;
        End = end;
        Error = error?.Error;
        ErrorDetail = error?.Message;
    }

    /// <summary>The image asked for, as given.</summary>
    public ImageReference Image { get; }

    /// <summary>The levels, top image first.</summary>
    public IReadOnlyList<LineageLevel> Levels { get; }

    /// <summary>How the walk ended.</summary>
    public LineageEnd End { get; }

    /// <summary>Why the walk failed (an <c>SC46xx</c> code, or the registry's code), or <c>null</c>.</summary>
    public ErrorCode? Error { get; }

    /// <summary>The failure's message (code, summary and detail), or <c>null</c>.</summary>
    public string? ErrorDetail { get; }

    /// <summary>Renders the tree as JSON (<see cref="MediaType"/>), for <c>--output json</c>.</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ToJson() => LineageJsonWriter.Write(this);
}
