using SupplyChain.Fuzz.Targets;

namespace SupplyChain.Fuzz;

/// <summary>Every target, by name.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new BundleTarget(),
        new CertificateTarget(),
        new SctListTarget(),
        new TimestampTarget(),
        new CheckpointTarget(),
        new RekorBodyTarget(),
        new TlogEntryTarget(),
        new DsseTarget(),
        new TrustedRootTarget(),
        new SigningConfigTarget(),
        new TufMetadataTarget(),
        new CosignKeyTarget(),
        new OciManifestTarget(),
        new OciIndexTarget(),
        new ImageConfigTarget(),
        new ReferrersTarget(),
        new WwwAuthenticateTarget(),
        new DockerConfigTarget(),
        new ImageReferenceTarget(),
        new AdmissionReviewTarget(),
        new PolicyTarget(),
        new InstanceHttpTarget(),
        new TileEntryBundleTarget(),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
