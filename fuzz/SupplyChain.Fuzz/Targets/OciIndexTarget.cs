using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Fuzz.Targets;

/// <summary>An image index or Docker manifest list: the client's parser, the lineage reader, and platform selection.</summary>
internal sealed class OciIndexTarget : FuzzTarget
{
    public override string Name => "oci-index";

    public override string Description => "OCI image index / Docker manifest list JSON -> OciIndex, lineage reader, platform lookup";

    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] json = input.ToArray();
        Step(() => OciIndex.Parse(json));
        var descriptor = new OciDescriptor(OciMediaTypes.ImageIndex, "sha256:" + new string('0', 64), json.Length);
        var fetched = new FetchedManifest(descriptor, json);
        Step(() => ImageDocuments.ParseIndex(fetched));
        Step(() => PlatformManifests.List(fetched));
        Step(() => PlatformManifests.Find(fetched, new OciPlatform("linux", "arm64", "v8")));
        ManifestDocument.Parse(json, OciMediaTypes.DockerManifestList);
    }
}
