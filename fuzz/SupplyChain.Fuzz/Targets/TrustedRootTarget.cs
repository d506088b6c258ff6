using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A trusted_root.json (from TUF, a file, or the admission webhook's mounted root): parsed, then used to verify the
/// three fixture bundles, so what a malformed root leaves in the model is exercised too.
/// </summary>
internal sealed class TrustedRootTarget : FuzzTarget
{
    public override string Name => "trusted-root";

    public override string Description => "trusted_root.json -> TrustedRoot.Parse, verify 3 fixture bundles with it";

    public override void Run(ReadOnlySpan<byte> input)
    {
        TrustedRoot root = TrustedRoot.Parse(input);
        var verifier = new SigstoreVerifier(root);
        Artifact artifact = Artifact.FromBytes(Fixtures.ConformanceArtifact);
        Step(() => verifier.Verify(Fixtures.MessageBundle, artifact, VerificationPolicy.WithoutIdentityUnsafe()));
        Step(() => verifier.Verify(Fixtures.DsseBundle, artifact, VerificationPolicy.WithoutIdentityUnsafe()));
        Step(() => verifier.Verify(Fixtures.Rekor2Bundle, artifact, VerificationPolicy.WithoutIdentityUnsafe()));
    }
}
