using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// An image or artifact manifest as a registry serves it: the registry client's parser (OCI and Docker media types),
/// the lineage walk's reader, the signature reader, and every layer as a legacy cosign signature layer (its annotations
/// become a bundle; its inline data is read as a simple-signing payload).
/// </summary>
internal sealed class OciManifestTarget : FuzzTarget
{
    private static readonly byte[] Payload = SimpleSigningPayload.Create("registry.example/app", "sha256:" + new string('a', 64));

    public override string Name => "oci-manifest";

    public override string Description => "OCI/Docker image manifest JSON -> OciManifest, lineage reader, signature layers";

    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] json = input.ToArray();
        Step(() => OciManifest.Parse(json));
        Step(() => OciManifest.Parse(json, OciMediaTypes.DockerManifest));
        var descriptor = new OciDescriptor(OciMediaTypes.ImageManifest, "sha256:" + new string('0', 64), json.Length);
        Step(() => ImageDocuments.ParseManifest(new FetchedManifest(descriptor, json)));
        ManifestDocument document = ManifestDocument.Parse(json, OciMediaTypes.ImageManifest);
        foreach (ManifestEntry layer in document.Layers)
        {
            IReadOnlyDictionary<string, string> annotations = layer.Descriptor.Annotations ?? new Dictionary<string, string>();
            Step(() => LegacySignatureLayer.ToBundle(annotations, layer.Data ?? Payload, isEnvelope: false));
            Step(() => LegacySignatureLayer.ToBundle(annotations, layer.Data ?? Payload, isEnvelope: true));
            if (layer.Data is { } data)
            {
                Step(() => SimpleSigningPayload.ReadDigest(data));
            }
        }
    }
}
