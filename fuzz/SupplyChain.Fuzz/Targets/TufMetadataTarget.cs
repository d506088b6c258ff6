using SupplyChain.Tuf;
using SupplyChain.Tuf.Client;
using SupplyChain.Tuf.Metadata;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// TUF metadata as a repository serves it: read as each top-level role; a root's self-signature and its signature by
/// the embedded Sigstore production root (a rotation step); targets' signature by that root's targets role, and its
/// delegations' path patterns matched against the targets a Sigstore client asks for.
/// </summary>
internal sealed class TufMetadataTarget : FuzzTarget
{
    private static readonly Lazy<RootMetadata> ProductionRoot = new(() => RootMetadata.Parse(EmbeddedRoots.ProductionRoot.ToArray(), "embedded root.json"));
    private static readonly string[] Paths = ["trusted_root.json", "signing_config.v0.2.json", "a/b/c.json", ""];

    public override string Name => "tuf-metadata";

    public override string Description => "TUF root/timestamp/snapshot/targets JSON -> parse as each role, signatures, delegation paths";

    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] raw = input.ToArray();
        Step(() =>
        {
            RootMetadata root = RootMetadata.Parse(raw, "root.json");
            Step(() => root.VerifyRole(root.File, "root", "root.json", TufErrors.InitialRootInvalid));
            ProductionRoot.Value.VerifyRole(root.File, "root", "root.json", TufErrors.RootRotationUntrusted);
        });
        Step(() => TimestampMetadata.Parse(raw, "timestamp.json"));
        Step(() => SnapshotMetadata.Parse(raw, "snapshot.json"));
        TargetsMetadata targets = TargetsMetadata.Parse(raw, "targets.json");
        Step(() => ProductionRoot.Value.VerifyRole(targets.File, "targets", "targets.json", TufErrors.ThresholdNotMet));
        foreach (DelegatedRole delegation in targets.Delegations)
        {
            foreach (string path in Paths)
            {
                TufUpdater.IsDelegated(delegation, path);
            }
        }
    }
}
