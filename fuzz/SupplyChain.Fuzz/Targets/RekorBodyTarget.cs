using SupplyChain.Core.Bundles;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Verification;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A Rekor entry body (the log's canonicalized body: Rekor v1 hashedrekord/dsse/intoto, Rekor v2 hashedrekord/dsse
/// 0.0.2), matched against a fixed bundle's signature, signer and content. The first byte picks the declared kind and
/// version and the subject (a message-signature or a DSSE bundle); the rest is the body.
/// </summary>
internal sealed class RekorBodyTarget : FuzzTarget
{
    private static readonly (string Kind, string Version)[] Kinds =
        [("hashedrekord", "0.0.1"), ("hashedrekord", "0.0.2"), ("dsse", "0.0.1"), ("dsse", "0.0.2"), ("intoto", "0.0.2"), ("rekord", "0.0.1")];

    public override string Name => "rekor-body";

    public override string Description => "selector byte + Rekor v1/v2 entry body JSON -> EntryBodyMatcher vs fixed bundles";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        (string kind, string version) = Kinds[input[0] % Kinds.Length];
        bool dsse = (input[0] & 0x80) != 0;
        SigstoreBundle bundle = dsse ? Fixtures.DsseBundle : Fixtures.MessageBundle;
        var entry = new TransparencyLogEntry(0, new byte[32], kind, version, 0, null, null, input[1..].ToArray());
        var subject = new TlogSubject(bundle.MessageSignature, bundle.DsseEnvelope, bundle.VerificationMaterial.LeafCertificate, true,
            dsse ? null : Artifact.FromBytes(Fixtures.ConformanceArtifact));
        EntryBodyMatcher.Match(entry, subject);
    }
}
