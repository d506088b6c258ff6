using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>What an index entry is, for a workload that runs it (image-spec <c>image-index.md</c>).</summary>
public enum IndexEntryKind
{
    /// <summary>An image manifest with a platform: a workload can run it.</summary>
    Image,

    /// <summary>An entry a node never runs: platform <c>unknown/unknown</c> (BuildKit's attestation manifests), no platform, or a non-image media type.</summary>
    NotRunnable,

    /// <summary>An index inside the index: not followed (fail closed).</summary>
    NestedIndex,
}

/// <summary>One entry of the index a reference names.</summary>
/// <param name="Digest">The entry's digest.</param>
/// <param name="MediaType">The entry's media type.</param>
/// <param name="Platform">The entry's platform, or <c>null</c> when it names none.</param>
/// <param name="Kind">What it is.</param>
public sealed record IndexEntry(string Digest, string MediaType, OciPlatform? Platform, IndexEntryKind Kind)
{
    /// <summary>The platform as <c>os/architecture[/variant]</c>, or <c>(none)</c>.</summary>
    public string PlatformText => Platform is { } p ? p.Os + "/" + p.Architecture + (p.Variant is null ? "" : "/" + p.Variant) : "(none)";
}

/// <summary>
/// The manifest a reference names, read once (<see cref="LineageWalker.OpenAsync"/>): an image manifest, or an index
/// with its entries classified. Each platform is then walked with <see cref="LineageWalker.WalkAsync(ImageTop, IndexEntry?, bool, CancellationToken)"/>.
/// </summary>
public sealed class ImageTop
{
    internal ImageTop(ImageReference reference, FetchedManifest fetched, IReadOnlyDictionary<string, string> annotations, IReadOnlyList<IndexEntry> entries)
    {
        Reference = reference;
        Fetched = fetched;
        Annotations = annotations;
        Entries = entries;
    }

    /// <summary>The reference as given (a tag kept for display) at the digest read.</summary>
    public ImageReference Reference { get; }

    /// <summary>The digest the reference resolved to (the index's, for an index).</summary>
    public string Digest => Fetched.Descriptor.Digest;

    /// <summary>Whether the reference names an index (or Docker manifest list).</summary>
    public bool IsIndex => Entries.Count > 0 || Registry.Manifests.OciMediaTypes.IsIndex(Fetched.Descriptor.MediaType);

    /// <summary>The index's annotations (empty for an image manifest).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>The index's entries, in order (empty for an image manifest).</summary>
    public IReadOnlyList<IndexEntry> Entries { get; }

    internal FetchedManifest Fetched { get; }
}
