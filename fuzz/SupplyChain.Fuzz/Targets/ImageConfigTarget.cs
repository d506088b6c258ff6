using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Fuzz.Targets;

/// <summary>An image config blob (image-spec config.md) as the lineage walk reads it, and platform strings.</summary>
internal sealed class ImageConfigTarget : FuzzTarget
{
    public override string Name => "image-config";

    public override string Description => "OCI image config JSON -> ImageDocuments.ParseConfig; the text as a platform";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string text = System.Text.Encoding.UTF8.GetString(input);
        Step(() => PlatformManifests.ParsePlatform(text));
        ImageDocuments.ParseConfig(input.ToArray());
    }
}
