using System.Security.Cryptography;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Tamper;

/// <summary>One VirtualSigstore, its trusted root and artifact, shared by every mutation of the suite.</summary>
public sealed class TamperContext : IDisposable
{
    private readonly Dictionary<string, byte[]> _valid = [];

    public TamperContext()
    {
        // Enough prior entries that every inclusion proof has several hashes to tamper with.
        Sigstore = VirtualSigstore.Create(new VirtualSigstoreOptions { RekorV1FillerEntries = 100, RekorV2FillerEntries = 100 });
        Trust = TrustedRoot.Parse(Sigstore.TrustedRootBytes);
        Verifier = new SigstoreVerifier(Trust);
    }

    public static byte[] Artifact { get; } = "tamper suite artifact\n"u8.ToArray();

    public VirtualSigstore Sigstore { get; }

    public TrustedRoot Trust { get; }

    public SigstoreVerifier Verifier { get; }

    public static VerificationPolicy DefaultPolicy { get; } = VerificationPolicy.ForCertificateIdentities(
        CertificateIdentity.Exact(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer));

    /// <summary>The unmodified bundle of a base shape (signed once, cached).</summary>
    public byte[] Valid(TamperBase shape)
    {
        lock (_valid)
        {
            if (!_valid.TryGetValue(shape.Name, out byte[]? bundle))
            {
                bundle = Sign(shape, o => o);
                _valid[shape.Name] = bundle;
            }

            return bundle;
        }
    }

    /// <summary>Signs the base shape with options a mutation adjusts.</summary>
    public byte[] Sign(TamperBase shape, Func<SigningOptions, SigningOptions> adjust) => Sign(Sigstore, shape, adjust);

    /// <summary>Signs with another instance (for foreign CAs and logs).</summary>
    public static byte[] Sign(VirtualSigstore sigstore, TamperBase shape, Func<SigningOptions, SigningOptions> adjust)
    {
        SigningOptions options = adjust(new SigningOptions { Version = shape.Version, Log = shape.Log, Timestamp = shape.HasTimestamp });
        return shape.IsDsse
            ? sigstore.SignDsse(Dsse.InTotoPayloadType, Dsse.InTotoStatement("artifact.txt", Artifact), options)
            : sigstore.SignMessage(Artifact, options);
    }

    /// <summary>The signature field of the base shape (message signature or DSSE signature).</summary>
    public static string SignaturePath(TamperBase shape) => shape.IsDsse ? BundlePaths.DsseSignature : BundlePaths.MessageSignature;

    public static Artifact ArtifactInput() => Core.Verification.Artifact.FromBytes(Artifact);

    public static Artifact DigestInput() => Core.Verification.Artifact.FromDigest(HashAlgorithmName.SHA256, SHA256.HashData(Artifact));

    public void Dispose() => Sigstore.Dispose();
}
