using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Policy.Evaluation;

/// <summary>The verdict on one platform of what the workload names: its lineage levels, each judged on its own.</summary>
public sealed class PlatformVerdict
{
    internal PlatformVerdict(OciPlatform? platform, LineageTree lineage, IReadOnlyList<PolicyLevelVerdict> levels, ErrorCode? error, string? errorDetail)
    {
        Lineage = lineage;
        Levels = levels;
        PolicyLevelVerdict? denied = levels.FirstOrDefault(l => !l.Allowed);
        Error = error ?? denied?.Error;
        ErrorDetail = error is not null ? errorDetail : denied?.ErrorDetail;
        Platform = platform ?? (levels.Count > 0 ? levels[0].Level.Platform : null);
        Allowed = Error is null && levels.Count > 0 && levels.All(l => l.Allowed) && lineage.End is not (LineageEnd.Failed or LineageEnd.Denied);
    }

    /// <summary>The platform (the index entry's, else the image config's); <c>null</c> when nothing could be read.</summary>
    public OciPlatform? Platform { get; }

    /// <summary>The platform manifest's digest, or <c>null</c> when it could not be read.</summary>
    public string? Digest => Levels.Count > 0 ? Levels[0].Level.Digest : null;

    /// <summary>Whether this platform passed.</summary>
    public bool Allowed { get; }

    /// <summary>Why it was denied (the lineage's end, or the topmost denied level), or <c>null</c>.</summary>
    public ErrorCode? Error { get; }

    /// <summary>The failure's message, or <c>null</c>.</summary>
    public string? ErrorDetail { get; }

    /// <summary>The walk of this platform.</summary>
    public LineageTree Lineage { get; }

    /// <summary>One verdict per level, the platform manifest first.</summary>
    public IReadOnlyList<PolicyLevelVerdict> Levels { get; }

    /// <summary>The platform as <c>os/architecture[/variant]</c>, or <c>(unknown)</c>.</summary>
    public string PlatformText => Platform is { } p ? p.Os + "/" + p.Architecture + (p.Variant is null ? "" : "/" + p.Variant) : "(unknown)";
}

/// <summary>An index entry that was not evaluated, and why (not runnable, or a platform the workload cannot run).</summary>
/// <param name="Digest">The entry's digest.</param>
/// <param name="Platform">Its platform as written, or <c>(none)</c>.</param>
/// <param name="Reason">Why it was skipped.</param>
public sealed record SkippedPlatform(string Digest, string Platform, string Reason);
