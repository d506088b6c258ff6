using SupplyChain.Core.Bundles;
using SupplyChain.Testing;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Interop;

/// <summary>
/// sigstore-js (an independent verifier) must accept what VirtualSigstore produces: proof that the
/// test kit's bundles, certificates, SCTs, SETs, proofs and checkpoints are faithful. sigstore-js
/// checks times against its own clock, so these use the real current time as the virtual "now".
/// </summary>
public sealed class SigstoreJsVirtualSigstoreTests : IDisposable
{
    private static readonly byte[] Artifact = System.Text.Encoding.UTF8.GetBytes("hello from the virtual sigstore\n");
    private readonly string _dir = Directory.CreateTempSubdirectory("sigstore-js-").FullName;
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create(new VirtualSigstoreOptions { Now = TimeProvider.System.GetUtcNow() });

    [NodeInteropFact]
    public void AcceptsV01RekorV1MessageBundle() =>
        AssertAccepted(_sigstore.SignMessage(Artifact, new SigningOptions { Version = BundleVersion.V0_1, Log = LogFlavour.RekorV1 }));

    [NodeInteropFact]
    public void AcceptsV03RekorV1MessageBundle() =>
        AssertAccepted(_sigstore.SignMessage(Artifact, new SigningOptions { Version = BundleVersion.V0_3, Log = LogFlavour.RekorV1 }));

    [NodeInteropFact]
    public void AcceptsV03RekorV1DsseBundle()
    {
        byte[] statement = Dsse.InTotoStatement("artifact.txt", Artifact);
        AssertAccepted(_sigstore.SignDsse(Dsse.InTotoPayloadType, statement, new SigningOptions { Version = BundleVersion.V0_3, Log = LogFlavour.RekorV1 }));
    }

    [NodeInteropFact]
    public void AcceptsV02KeySignedMessageBundle()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        byte[] bundle = _sigstore.SignMessage(Artifact, new SigningOptions { Version = BundleVersion.V0_2, KeyPair = key });
        string keyPath = Path.Combine(_dir, "key.pub");
        File.WriteAllText(keyPath, key.ExportSubjectPublicKeyInfoPem());
        (int exitCode, string output) = Run(bundle, "key:" + keyPath);
        Assert.True(exitCode == 0 && output.EndsWith("OK", StringComparison.Ordinal), output);
    }

    // sigstore-js 4.1 parses a GeneralizedTime without fractional seconds only ("invalid time" otherwise).
    private DateTimeOffset WholeSecondNow => DateTimeOffset.FromUnixTimeSeconds(_sigstore.Now.ToUnixTimeSeconds());

    // Issue 14, side by side with SupplyChain (InteropDivergenceTests): sigstore-js accepts a Rekor v2 entry that names
    // the leaf certificate's key, as we do since then...
    [NodeInteropFact]
    public void AcceptsV03RekorV2EntryNamingTheLeafCertificateKey()
    {
        using LeafCertificate leaf = _sigstore.IssueLeaf(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer);
        AssertAccepted(_sigstore.SignMessage(Artifact, new SigningOptions
        {
            Log = LogFlavour.RekorV2,
            Timestamp = true,
            TimestampTime = WholeSecondNow,
            Certificate = leaf,
            LogVerifierPublicKey = leaf.Key.ExportSubjectPublicKeyInfo(),
        }));
    }

    // ...and it accepts one that names any other key too (it compares no verifier), where we refuse (SC1204).
    [NodeInteropFact]
    public void AcceptsV03RekorV2EntryNamingAnotherKey()
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        AssertAccepted(_sigstore.SignMessage(Artifact, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true, TimestampTime = WholeSecondNow, LogVerifierPublicKey = other.ExportSubjectPublicKeyInfo() }));
    }

    // Rekor v2 DSSE (RekorV2DsseEntryTests side by side): sigstore-js accepts the rekor-v2-spec 6.1.4 hashedrekord over the
    // PAE and the withdrawn dsse 0.0.2 kind, and refuses either when the envelope is not the one logged.
    [NodeInteropFact]
    public void AcceptsV03RekorV2DsseAsHashedRekordAndRejectsAnotherEnvelope() => AssertRekorV2Dsse(RekorV2DsseEntry.HashedRekordOverPae);

    [NodeInteropFact]
    public void AcceptsV03RekorV2DsseAsDsseV002AndRejectsAnotherEnvelope() => AssertRekorV2Dsse(RekorV2DsseEntry.DsseV002);

    private void AssertRekorV2Dsse(RekorV2DsseEntry kind)
    {
        using LeafCertificate leaf = _sigstore.IssueLeaf(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer);
        var options = new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true, TimestampTime = WholeSecondNow, Certificate = leaf, RekorV2Dsse = kind };
        byte[] logged = _sigstore.SignDsse(Dsse.InTotoPayloadType, Dsse.InTotoStatement("artifact.txt", Artifact), options);
        AssertAccepted(logged);

        var other = MutableBundle.Parse(_sigstore.SignDsse(Dsse.InTotoPayloadType, Dsse.InTotoStatement("other.txt", Artifact), options));
        const string timestamps = "verificationMaterial.timestampVerificationData";
        byte[] swapped = MutableBundle.Parse(logged).Set("dsseEnvelope", other.Get("dsseEnvelope")!.DeepClone()).Set(timestamps, other.Get(timestamps)!.DeepClone()).ToBytes();
        (int exitCode, string output) = Run(swapped, SigningOptions.DefaultIdentity);
        Assert.True(exitCode != 0 && output.Contains("mismatch", StringComparison.OrdinalIgnoreCase), output);
    }

    // A private Rekor v1 deployment's checkpoint (origin and key name: the pod's host name) is refused by sigstore-js,
    // which requires the key name inside the log's base URL; we accept it, as sigstore-go does (docs/verification.md).
    [NodeInteropFact]
    public void RejectsACheckpointWhoseKeyNameIsNotInTheBaseUrl()
    {
        var bundle = MutableBundle.Parse(_sigstore.SignMessage(Artifact, new SigningOptions { Version = BundleVersion.V0_3 }));
        long size = long.Parse(bundle.GetString(BundlePaths.TreeSize), System.Globalization.CultureInfo.InvariantCulture);
        bundle.Set(BundlePaths.Checkpoint, _sigstore.RekorV1.SignCheckpoint(size, bundle.GetBytes(BundlePaths.RootHash), origin: "rekor-server-6d5c8b7f9-x2x4q - 8050909264565447525", keyName: "rekor-server-6d5c8b7f9-x2x4q"));
        (int exitCode, string output) = Run(bundle.ToBytes(), SigningOptions.DefaultIdentity);
        Assert.True(exitCode != 0 && output.Contains("checkpoint", StringComparison.OrdinalIgnoreCase), output);
    }

    [NodeInteropFact]
    public void RejectsTamperedSignature()
    {
        byte[] bundle = MutableBundle.Parse(_sigstore.SignMessage(Artifact)).FlipBit(BundlePaths.MessageSignature, -1).ToBytes();
        (int exitCode, string output) = Run(bundle, SigningOptions.DefaultIdentity);
        Assert.True(exitCode != 0, output);
    }

    [NodeInteropFact]
    public void RejectsWrongIdentity()
    {
        (int exitCode, string output) = Run(_sigstore.SignMessage(Artifact), "https://github.com/someone-else/repo/.github/workflows/x.yml@refs/heads/main");
        Assert.True(exitCode != 0, output);
    }

    public void Dispose()
    {
        _sigstore.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private void AssertAccepted(byte[] bundle)
    {
        (int exitCode, string output) = Run(bundle, SigningOptions.DefaultIdentity);
        Assert.True(exitCode == 0 && output.EndsWith("OK", StringComparison.Ordinal), output);
    }

    private (int ExitCode, string Output) Run(byte[] bundle, string identity)
    {
        string bundlePath = Path.Combine(_dir, "bundle.sigstore.json");
        string rootPath = Path.Combine(_dir, "trusted_root.json");
        string artifactPath = Path.Combine(_dir, "artifact.txt");
        File.WriteAllBytes(bundlePath, bundle);
        File.WriteAllBytes(rootPath, _sigstore.TrustedRootBytes);
        File.WriteAllBytes(artifactPath, Artifact);
        return NodeInterop.RunSigstoreJs("verify.mjs", bundlePath, rootPath, artifactPath, identity, SigningOptions.DefaultIssuer);
    }
}
