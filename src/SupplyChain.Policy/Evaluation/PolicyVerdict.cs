using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// The result of evaluating what a workload names against a policy: allowed only when every evaluated platform passed
/// (for an index, every platform the workload can run; each with its lineage proved to an accepted end when the rule
/// asks for it), or when no rule matches and the default action is allow. Any error denies (fail closed).
/// </summary>
public sealed class PolicyVerdict
{
    /// <summary>The media type of <see cref="ToJson"/>'s output.</summary>
    public const string MediaType = "application/vnd.supplychain.policy-result.v1+json";

    private PolicyVerdict(ImageReference image, string? ruleName, string? digest, bool isIndex, IReadOnlyList<PlatformVerdict> platforms, IReadOnlyList<SkippedPlatform> skipped, PolicyDecision? topDecision, ErrorCode? error, string? errorDetail)
    {
        Image = image;
        RuleName = ruleName;
        Digest = digest;
        IsIndex = isIndex;
        Platforms = platforms;
        Skipped = skipped;
        PlatformVerdict? denied = platforms.FirstOrDefault(p => !p.Allowed);
        Error = error ?? denied?.Error;
        ErrorDetail = error is not null ? errorDetail : denied?.ErrorDetail;
        Decision = topDecision;
        Allowed = Error is null && (topDecision == PolicyDecision.DefaultAllowed || (platforms.Count > 0 && platforms.All(p => p.Allowed)));
        Deciding = denied ?? (platforms.Count > 0 ? platforms[0] : null);
    }

    /// <summary>The image asked about, as given.</summary>
    public ImageReference Image { get; }

    /// <summary>Whether the image is admitted.</summary>
    public bool Allowed { get; }

    /// <summary>Why it was denied: the first failure (of the reference itself, or of the first denied platform); <c>null</c> when allowed.</summary>
    public ErrorCode? Error { get; }

    /// <summary>The failure's message, or <c>null</c>.</summary>
    public string? ErrorDetail { get; }

    /// <summary>The rule matching the image's name, or <c>null</c>.</summary>
    public string? RuleName { get; }

    /// <summary><see cref="PolicyDecision.DefaultAllowed"/> when no rule matched and the default is allow (nothing was requested); else <c>null</c>.</summary>
    public PolicyDecision? Decision { get; }

    /// <summary>The digest the reference resolved to (the index's for an index), or <c>null</c> when nothing was read.</summary>
    public string? Digest { get; }

    /// <summary>Whether the reference names an index.</summary>
    public bool IsIndex { get; }

    /// <summary>One verdict per evaluated platform (one for an image manifest).</summary>
    public IReadOnlyList<PlatformVerdict> Platforms { get; }

    /// <summary>The index entries not evaluated, with the reason.</summary>
    public IReadOnlyList<SkippedPlatform> Skipped { get; }

    /// <summary>The platform that decides: the first denied, else the first; <c>null</c> when none was evaluated.</summary>
    public PlatformVerdict? Deciding { get; }

    /// <summary>The deciding platform's lineage, or <c>null</c>.</summary>
    public LineageTree? Lineage => Deciding?.Lineage;

    /// <summary>The deciding platform's levels (empty when none was evaluated).</summary>
    public IReadOnlyList<PolicyLevelVerdict> Levels => Deciding?.Levels ?? [];

    /// <summary>Renders the verdict as JSON (<see cref="MediaType"/>), for <c>--output json</c> and the webhook's audit log.</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ToJson() => PolicyVerdictJson.Write(this);

    internal static PolicyVerdict Denied(ImageReference image, string? ruleName, string? digest, SupplyChainException reason) =>
        new(image, ruleName, digest, false, [], [], null, reason.Error, reason.Message);

    internal static PolicyVerdict AllowedByDefault(ImageReference image) =>
        new(image, null, null, false, [], [], PolicyDecision.DefaultAllowed, null, null);

    internal static PolicyVerdict Evaluated(ImageReference image, string ruleName, ImageTop top, IReadOnlyList<PlatformVerdict> platforms, IReadOnlyList<SkippedPlatform> skipped) =>
        new(image, ruleName, top.Digest, top.IsIndex, platforms, skipped, null, null, null);
}
