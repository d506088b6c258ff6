using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Timestamps;

/// <summary>Trusted material holding only timestamp authorities.</summary>
internal sealed class TsaOnlyTrust(params CertificateAuthority[] authorities) : ITrustedMaterial
{
    public IReadOnlyList<TransparencyLogInstance> TransparencyLogs => [];

    public IReadOnlyList<CertificateAuthority> CertificateAuthorities => [];

    public IReadOnlyList<TransparencyLogInstance> CertificateTransparencyLogs => [];

    public IReadOnlyList<CertificateAuthority> TimestampAuthorities => authorities;
}

internal static class TimestampTestSupport
{
    public static string CaseFolder(string name) => Path.Combine(TestPaths.ConformanceBundleVerify!, name);

    /// <summary>The first RFC 3161 timestamp of a conformance bundle and the signature bytes it covers.</summary>
    public static (ReadOnlyMemory<byte> Token, byte[] Signature) LoadTimestamp(string caseName)
    {
        SigstoreBundle bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(CaseFolder(caseName), "bundle.sigstore.json")));
        byte[] signature = bundle.MessageSignature is { } message
            ? message.Signature.ToArray()
            : bundle.DsseEnvelope!.Signatures[0].Signature.ToArray();
        return (bundle.VerificationMaterial.Rfc3161Timestamps[0], signature);
    }

    public static TrustedRoot LoadRoot(string caseName)
    {
        string path = Path.Combine(CaseFolder(caseName), "trusted_root.json");
        return File.Exists(path) ? TrustedRoot.Parse(File.ReadAllBytes(path)) : TrustedRoot.Production;
    }
}
