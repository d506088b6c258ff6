using System.Text.Json;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>One image in a lineage: the top image is depth 0, its proved base depth 1, and so on.</summary>
public sealed class LineageLevel
{
    internal LineageLevel(int depth, ImageReference reference, string? indexDigest, OciPlatform platform, int layersTotal)
    {
        Depth = depth;
        Reference = reference;
        IndexDigest = indexDigest;
        Platform = platform;
        LayersTotal = layersTotal;
        LayersAdded = layersTotal;
    }

    /// <summary>0 for the top image, 1 for its base, ...</summary>
    public int Depth { get; }

    /// <summary>Where the level was read: its repository at its platform manifest's digest (a tag, when given, kept for display).</summary>
    public ImageReference Reference { get; }

    /// <summary>The name policies match: <c>registry/repository</c>.</summary>
    public string Name => Reference.Registry + "/" + Reference.Repository;

    /// <summary>The platform manifest's digest.</summary>
    public string Digest => Reference.Digest!;

    /// <summary>The digest of the index the platform manifest was resolved from, or <c>null</c>.</summary>
    public string? IndexDigest { get; }

    /// <summary>The image's platform (from its config).</summary>
    public OciPlatform Platform { get; }

    /// <summary>How many layers the image has.</summary>
    public int LayersTotal { get; }

    /// <summary>How many layers this level adds on top of its proved base (all of them when there is no proved base).</summary>
    public int LayersAdded { get; internal set; }

    /// <summary>The claim this image makes about its own base, when it was read; <c>null</c> when it makes none or the walk stopped before reading it.</summary>
    public BaseImageClaim? Claim { get; internal set; }

    /// <summary>How the level's verified provenance was read for a base (every image dependency and its outcome), or <c>null</c> when it was not read or there was none.</summary>
    public ProvenanceBaseChoice? Provenance { get; internal set; }

    /// <summary>Writes this level's fields (depth, name, digest, platform, layers, claim) into the JSON object <paramref name="writer"/> has open.</summary>
    /// <param name="writer">A writer positioned inside an object.</param>
    public void WriteJsonProperties(Utf8JsonWriter writer) => LineageJsonWriter.WriteLevelFields(writer, this);
}
