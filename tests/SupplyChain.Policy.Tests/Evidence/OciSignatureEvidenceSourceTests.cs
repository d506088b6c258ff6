using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Policy.Tests.Evidence;

/// <summary>
/// <see cref="OciSignatureEvidenceSource"/> against Debian's docker-registry on 127.0.0.1 with keyless bundles from the
/// VirtualSigstore: found vs verified, a signature on the index covering its platform manifest, and a registry
/// failure that throws instead of reading as "unsigned".
/// </summary>
public sealed class OciSignatureEvidenceSourceTests : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryFixture _fixture;
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private readonly TrustedRoot _trust;

    public OciSignatureEvidenceSourceTests(RegistryFixture fixture)
    {
        _fixture = fixture;
        _trust = TrustedRoot.Parse(_sigstore.TrustedRootBytes);
    }

    public void Dispose() => _sigstore.Dispose();

    /// <summary>Two keyless authorities: "ci" (the VirtualSigstore's default identity) and "other" (an identity nobody signs as).</summary>
    private static IReadOnlyList<PolicyAuthority> Authorities() => ImagePolicy.Parse($"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: r
            images: ["**"]
            authorities:
              - name: ci
                keyless: {"{"} issuer: "{SigningOptions.DefaultIssuer}", subject: "{SigningOptions.DefaultIdentity}" {"}"}
              - name: other
                keyless: {"{"} issuer: "{SigningOptions.DefaultIssuer}", subjectRegExp: "https://github\\.com/someone-else/.*" {"}"}
        """).Rules[0].Authorities;

    private async Task SignAsync(OciRegistryClient client, ImageReference repository, OciDescriptor subject)
    {
        byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(repository, subject.Digest));
        await new ImageSignatureAttacher(client).AttachBundleAsync(repository, subject, bundle);
    }

    [RegistryFact]
    public async Task Found_and_verified_are_reported_apart_per_digest_and_per_authority()
    {
        using var client = new OciRegistryClient();
        ImageReference repository = ImageReference.Parse($"{_fixture.Registry.Host}/evidence/e{Guid.NewGuid():N}");
        PushedImage index = await TestImages.PushIndexAsync(client, repository, "v1", [new OciPlatform("linux", "amd64"), new OciPlatform("linux", "arm64")]);
        PushedImage unsigned = await TestImages.PushImageAsync(client, repository, "unsigned");
        var source = new OciSignatureEvidenceSource(client, _trust);
        await SignAsync(client, repository, index.Descriptor);

        IDigestEvidence onIndex = await source.CollectAsync(repository.WithDigest(index.Descriptor.Digest), null);
        IDigestEvidence onPlatform = await source.CollectAsync(repository.WithDigest(index.Platforms[0].Digest), null);
        IDigestEvidence none = await source.CollectAsync(repository.WithDigest(unsigned.Descriptor.Digest), null);

        EvidenceSigner signer = Assert.Single(onIndex.Match(Authorities()[0]).Signers);
        Assert.Equal(index.Descriptor.Digest, signer.SignedDigest);
        Assert.Equal($"{SigningOptions.DefaultIdentity} ({SigningOptions.DefaultIssuer})", signer.Identity);
        Assert.Equal($"identity:{SigningOptions.DefaultIdentity}|{SigningOptions.DefaultIssuer}", signer.SignerId);
        Assert.Equal(1, onIndex.Found);
        Assert.Equal(0, onPlatform.Found);
        Assert.Equal(0, none.Found);
        EvidenceMatch wrong = onIndex.Match(Authorities()[1]);
        Assert.Empty(wrong.Signers);
        Assert.Equal("SC1601", Assert.Single(wrong.Rejected).Code);
        Assert.Equal(0, (await source.CollectAsync(repository.WithDigest(index.Descriptor.Digest), "https://slsa.dev/provenance/v1")).Found);
    }

    [Fact]
    public async Task An_unreachable_registry_throws_its_code_instead_of_reading_as_unsigned()
    {
        using var client = new OciRegistryClient();
        var source = new OciSignatureEvidenceSource(client, _trust);
        ImageReference subject = ImageReference.Parse("127.0.0.1:1/evidence/gone@sha256:" + new string('a', 64));

        SupplyChainException ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => source.CollectAsync(subject, null));

        Assert.Equal("SC4002", ex.Code);
    }
}
