using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// An image a verified SLSA provenance says its build consumed (v1 <c>buildDefinition.resolvedDependencies</c>, v0.2
/// <c>materials</c>), located: its repository at the digest the provenance records (an index or a platform manifest), and
/// the platform the provenance names, when it names one. A base candidate until the layer proof selects it.
/// </summary>
public sealed class ImageDependency
{
    internal ImageDependency(string uri, ImageReference reference, string? os, string? architecture, string? variant)
    {
        Uri = uri;
        Reference = reference;
        Os = os;
        Architecture = architecture;
        Variant = variant;
    }

    /// <summary>The dependency's <c>uri</c> as the provenance wrote it (<c>pkg:docker/alpine@3.17?platform=linux%2Famd64</c>).</summary>
    public string Uri { get; }

    /// <summary>Where the image is fetched: its repository (tag kept for display) at the recorded digest.</summary>
    public ImageReference Reference { get; }

    /// <summary>The recorded digest.</summary>
    public string Digest => Reference.Digest!;

    /// <summary>The operating system the provenance names (<c>platform</c> qualifier), or <c>null</c>.</summary>
    public string? Os { get; }

    /// <summary>The architecture the provenance names (<c>platform</c> or <c>arch</c> qualifier), or <c>null</c>.</summary>
    public string? Architecture { get; }

    /// <summary>The variant the provenance names, or <c>null</c>.</summary>
    public string? Variant { get; }

    /// <summary>Whether the dependency may be a base of an image of <paramref name="platform"/>: every part of the platform it names (if any) is the same.</summary>
    /// <param name="platform">The child's platform.</param>
    /// <returns><c>false</c> for a dependency of another platform (a cross-compilation toolchain, say).</returns>
    public bool AppliesTo(OciPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return (Os is null || Os == platform.Os)
            && (Architecture is null || Architecture == platform.Architecture)
            && (Variant is null || Variant == platform.Variant);
    }

    /// <inheritdoc/>
    public override string ToString() => Reference.ToString();
}

/// <summary>A dependency that names an image but cannot be located (SC4650): recorded, never a base candidate.</summary>
/// <param name="Uri">The dependency's <c>uri</c> (shortened to 200 characters).</param>
/// <param name="Reason">Why it cannot be located.</param>
public sealed record UnusableDependency(string Uri, string Reason);
