using SupplyChain.Oci.Registry;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// The platforms a workload can run, which are the platforms of an index that must pass: explicit platforms
/// (<c>--platform os/arch[/variant]</c>; a platform without a variant covers every variant), or the operating systems and
/// architectures a pod pins (<c>kubernetes.io/os</c>, <c>kubernetes.io/arch</c>; an absent dimension is unconstrained).
/// <c>null</c> where a set is expected means every platform the index lists. Immutable.
/// </summary>
public sealed class PlatformSet
{
    private readonly IReadOnlyList<OciPlatform>? _platforms;
    private readonly IReadOnlySet<string>? _operatingSystems;
    private readonly IReadOnlySet<string>? _architectures;
    private readonly PlatformSet? _and;

    private PlatformSet(IReadOnlyList<OciPlatform>? platforms, IReadOnlySet<string>? operatingSystems, IReadOnlySet<string>? architectures, string key, PlatformSet? and = null)
    {
        _and = and;
        _platforms = platforms;
        _operatingSystems = operatingSystems;
        _architectures = architectures;
        Key = key;
    }

    /// <summary>A canonical text of the set, for cache keys and results (<c>linux/amd64,linux/arm64</c>, or <c>os=linux;arch=arm64</c>).</summary>
    public string Key { get; }

    /// <summary>Exactly these platforms (a platform without a variant covers every variant of its os/architecture).</summary>
    /// <param name="platforms">At least one platform.</param>
    /// <returns>The set.</returns>
    public static PlatformSet Of(params IEnumerable<OciPlatform> platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        var list = platforms.Distinct().OrderBy(Text, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("at least one platform", nameof(platforms));
        }

        return new PlatformSet(list, null, null, string.Join(",", list.Select(Text)));
    }

    /// <summary>The platforms a node selection allows: any of <paramref name="operatingSystems"/> and any of <paramref name="architectures"/>; <c>null</c> leaves a dimension open. Both <c>null</c> gives <c>null</c> (every platform).</summary>
    /// <param name="operatingSystems">The allowed <c>kubernetes.io/os</c> values, or <c>null</c>.</param>
    /// <param name="architectures">The allowed <c>kubernetes.io/arch</c> values, or <c>null</c>.</param>
    /// <returns>The set, or <c>null</c> when nothing is pinned.</returns>
    public static PlatformSet? Constrained(IEnumerable<string>? operatingSystems, IEnumerable<string>? architectures)
    {
        if (operatingSystems is null && architectures is null)
        {
            return null;
        }

        SortedSet<string>? os = operatingSystems is null ? null : new SortedSet<string>(operatingSystems, StringComparer.Ordinal);
        SortedSet<string>? arch = architectures is null ? null : new SortedSet<string>(architectures, StringComparer.Ordinal);
        string key = "os=" + (os is null ? "*" : string.Join(",", os)) + ";arch=" + (arch is null ? "*" : string.Join(",", arch));
        return new PlatformSet(null, os, arch, key);
    }

    /// <summary>The platforms in both sets (a pod's pins within the platforms a cluster's nodes run); <c>null</c> stands for every platform.</summary>
    /// <param name="first">A set, or <c>null</c>.</param>
    /// <param name="second">Another set, or <c>null</c>.</param>
    /// <returns>The intersection, or <c>null</c> when both are <c>null</c>.</returns>
    public static PlatformSet? Intersect(PlatformSet? first, PlatformSet? second) =>
        first is null ? second
        : second is null ? first
        : new PlatformSet(first._platforms, first._operatingSystems, first._architectures, first.Key + "&" + second.Key, first._and is null ? second : Intersect(first._and, second));

    /// <summary>Whether a workload restricted to this set can run <paramref name="platform"/>.</summary>
    /// <param name="platform">An index entry's platform.</param>
    /// <returns><c>true</c> when it can.</returns>
    public bool Matches(OciPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (_and is not null && !_and.Matches(platform))
        {
            return false;
        }

        if (_platforms is not null)
        {
            return _platforms.Any(p => p.Os == platform.Os && p.Architecture == platform.Architecture && (p.Variant is null || p.Variant == platform.Variant));
        }

        return (_operatingSystems is null || _operatingSystems.Contains(platform.Os))
            && (_architectures is null || _architectures.Contains(platform.Architecture));
    }

    /// <inheritdoc/>
    public override string ToString() => Key;

    private static string Text(OciPlatform p) => p.Os + "/" + p.Architecture + (p.Variant is null ? "" : "/" + p.Variant);
}
