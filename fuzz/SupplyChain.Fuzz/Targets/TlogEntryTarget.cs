using SupplyChain.Core.Bundles;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A bundle's transparency-log entry document (protobuf-specs TransparencyLogEntry JSON, Rekor v1 and v2): parsed,
/// written back, and verified whole (log lookup, body match, SET, inclusion proof, checkpoint) against the production
/// and Rekor v2 conformance roots, as the entry of three fixed bundles.
/// </summary>
internal sealed class TlogEntryTarget : FuzzTarget
{
    public override string Name => "tlog-entry";

    public override string Description => "TransparencyLogEntry JSON -> parse, SET, inclusion proof, checkpoint, body (2 roots)";

    public override void Run(ReadOnlySpan<byte> input)
    {
        TransparencyLogEntry entry = TransparencyLogEntry.Parse(input);
        Verify(entry, Fixtures.MessageBundle, TrustedRoot.Production);
        Verify(entry, Fixtures.DsseBundle, TrustedRoot.Production);
        Verify(entry, Fixtures.Rekor2Bundle, Fixtures.Rekor2Root);
    }

    private static void Verify(TransparencyLogEntry entry, SigstoreBundle bundle, TrustedRoot root)
    {
        var subject = new TlogSubject(bundle.MessageSignature, bundle.DsseEnvelope, bundle.VerificationMaterial.LeafCertificate, true,
            bundle.MessageSignature is null ? null : Artifact.FromBytes(Fixtures.ConformanceArtifact));
        DateTimeOffset signedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Step(() => TransparencyLogVerifier.VerifyEntry(entry, subject, root, [signedAt]));
    }
}
