using System.Security.Cryptography;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// Bundle JSON, every version, through the writer round trip and full verification against three fixed roots
/// (production; the conformance Rekor v2 root; the conformance managed-key root with its key). The artifact is the one
/// the bundle itself names (its message digest, or its statement's first subject), so verification gets past the
/// artifact check and into the log, timestamp, certificate and signature checks.
/// </summary>
internal sealed class BundleTarget : FuzzTarget
{
    public override string Name => "bundle";

    public override string Description => "Sigstore bundle JSON (v0.1-v0.3) -> parse, write, verify (3 roots)";

    public override void Run(ReadOnlySpan<byte> input)
    {
        SigstoreBundle bundle = SigstoreBundle.Parse(input);

        // What the writer emits from a parsed bundle must parse again.
        SigstoreBundle.Parse(bundle.ToJson());

        Artifact artifact = ArtifactFor(bundle);
        Step(() => new SigstoreVerifier(TrustedRoot.Production).Verify(bundle, artifact, VerificationPolicy.WithoutIdentityUnsafe()));
        Step(() => new SigstoreVerifier(Fixtures.Rekor2Root).Verify(bundle, artifact, VerificationPolicy.ForCertificateIdentities(
            CertificateIdentity.Exact("https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main", "https://token.actions.githubusercontent.com"))));
        Step(() => new SigstoreVerifier(Fixtures.ManagedKeyRoot).Verify(bundle, artifact, VerificationPolicy.ForPublicKey(Fixtures.ManagedKeyPublicKey)));
    }

    private static Artifact ArtifactFor(SigstoreBundle bundle)
    {
        if (bundle.MessageSignature is { Digest: { } digest } message && AlgorithmOf(message.DigestAlgorithm) is { } algorithm
            && digest.Length == (algorithm == HashAlgorithmName.SHA256 ? 32 : algorithm == HashAlgorithmName.SHA384 ? 48 : 64))
        {
            return Artifact.FromDigest(algorithm, digest.Span);
        }

        if (bundle.DsseEnvelope is { } envelope)
        {
            try
            {
                InTotoStatement statement = InTotoStatement.Parse(envelope.Payload.Span);
                foreach (InTotoSubject subject in statement.Subjects)
                {
                    foreach ((string name, string hex) in subject.Digests)
                    {
                        if (Artifact.TryParseDigest(name + ":" + hex, out Artifact? fromSubject))
                        {
                            return fromSubject;
                        }
                    }
                }
            }
            catch (Core.Errors.SupplyChainException e)
            {
                FuzzContract.RequireCode(e);
            }
        }

        return Artifact.FromBytes(Fixtures.ConformanceArtifact);
    }

    private static HashAlgorithmName? AlgorithmOf(string? name) => name switch
    {
        "SHA2_256" => HashAlgorithmName.SHA256,
        "SHA2_384" => HashAlgorithmName.SHA384,
        "SHA2_512" => HashAlgorithmName.SHA512,
        _ => null,
    };
}
