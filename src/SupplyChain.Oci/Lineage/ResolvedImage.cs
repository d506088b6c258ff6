using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>A platform image read from the registry: its manifest, config, and the index it came from if any.</summary>
internal sealed record ResolvedImage(
    ImageReference Reference,
    string? IndexDigest,
    ImageManifestDocument Manifest,
    IReadOnlyDictionary<string, string> IndexAnnotations,
    ImageConfigDocument Config);
