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
