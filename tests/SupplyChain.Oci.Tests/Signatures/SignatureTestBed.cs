using System.Security.Cryptography;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>An in-memory registry, a VirtualSigstore and its trusted root: sign statements about images and attach them.</summary>
internal sealed class SignatureTestBed : IDisposable
{
    public SignatureTestBed()
    {
        Trust = TrustedRoot.Parse(Virtual.TrustedRootBytes);
        Verifier = new ImageVerifier(Registry, Trust);
        Attacher = new ImageSignatureAttacher(Registry, legacySettleDelay: TimeSpan.Zero);
    }

    public static ImageReference Repo { get; } = ImageReference.Parse("registry.test:5000/team/app");

    public VirtualSigstore Virtual { get; } = VirtualSigstore.Create();

    public InMemoryRegistry Registry { get; } = new();

    public TrustedRoot Trust { get; }

    public ImageVerifier Verifier { get; }

    public ImageSignatureAttacher Attacher { get; }

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static VerificationPolicy Identity(string identity = SigningOptions.DefaultIdentity) =>
        VerificationPolicy.ForCertificateIdentities(new CertificateIdentity(StringMatcher.Exact(identity), StringMatcher.Exact(SigningOptions.DefaultIssuer)));

    public VerificationPolicy KeyPolicy() => VerificationPolicy.ForPublicKey(PublicKeyVerifier.FromSubjectPublicKeyInfo(Key.ExportSubjectPublicKeyInfo()));

    public OciDescriptor PushImage(string tag = "v1") => Registry.PushImage(Repo, tag, tag);

    /// <summary>A cosign 3 signature bundle (DSSE, sign/v1 statement about <paramref name="statementDigest"/>) attached to <paramref name="subject"/>.</summary>
    public OciDescriptor AttachSignature(OciDescriptor subject, string? statementDigest = null, SigningOptions? options = null)
    {
        byte[] statement = ImageStatements.Signature(Repo, statementDigest ?? subject.Digest);
        byte[] bundle = Virtual.SignDsse(SupplyChain.Core.Attestations.Dsse.InTotoPayloadType, statement, options);
        return Attacher.AttachBundleAsync(Repo, subject, bundle).GetAwaiter().GetResult();
    }

    public OciDescriptor AttachAttestation(OciDescriptor subject, string type, bool legacy = false)
    {
        byte[] statement = ImageStatements.Attestation(Repo, subject.Digest, ImageStatements.ResolvePredicateType(type), "{\"k\":\"v\"}"u8);
        byte[] bundle = Virtual.SignDsse(SupplyChain.Core.Attestations.Dsse.InTotoPayloadType, statement);
        return legacy
            ? Attacher.AttachLegacyAsync(Repo, subject.Digest, bundle, default).GetAwaiter().GetResult()
            : Attacher.AttachBundleAsync(Repo, subject, bundle).GetAwaiter().GetResult();
    }

    /// <summary>A legacy <c>.sig</c> layer: a message signature over the simple-signing payload naming the subject.</summary>
    public OciDescriptor AttachLegacySignature(OciDescriptor subject, SigningOptions? options = null)
    {
        byte[] payload = SimpleSigningPayload.Create(Repo.Registry + "/" + Repo.Repository, subject.Digest);
        byte[] bundle = Virtual.SignMessage(payload, options);
        return Attacher.AttachLegacyAsync(Repo, subject.Digest, bundle, payload).GetAwaiter().GetResult();
    }

    public ImageVerificationResult Verify(OciDescriptor image, VerificationPolicy? policy = null, string? type = null, bool ignoreTlog = false) =>
        Verifier.VerifyAsync(Repo.WithDigest(image.Digest), new ImageVerificationRequest { Policy = policy ?? Identity(), PredicateType = type, IgnoreTransparencyLogUnsafe = ignoreTlog }).GetAwaiter().GetResult();

    public FetchedManifest Manifest(string digest) => Registry.TryGetManifestAsync(Repo.WithDigest(digest)).GetAwaiter().GetResult()!;

    public FetchedManifest? Tagged(string tag) => Registry.TryGetManifestAsync(Repo.WithTag(tag)).GetAwaiter().GetResult();

    public byte[] Blob(OciDescriptor blob) => Registry.GetBlobAsync(Repo, blob).GetAwaiter().GetResult().ToArray();

    public IReadOnlyList<AttachedArtifact> List(OciDescriptor image) => new ImageSignatureDiscovery(Registry).ListAsync(Repo.WithDigest(image.Digest)).GetAwaiter().GetResult();

    public void Dispose()
    {
        Virtual.Dispose();
        Key.Dispose();
    }
}
