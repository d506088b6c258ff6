using SupplyChain.Core.Errors;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>Inputs the oci-manifest fuzz target found in legacy cosign signature layers (docs/fuzzing.md), kept under testdata/fuzz-regressions.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// A <c>dev.sigstore.cosign/bundle</c> annotation whose Rekor body (base64 of arbitrary bytes) is not UTF-8, or whose
    /// kind is an unpaired surrogate escape: reading the kind threw InvalidOperationException out of signature
    /// discovery instead of SC4406.
    /// </summary>
    [Theory]
    [InlineData("legacy-rekor-body-invalid-utf8.json")]
    [InlineData("legacy-rekor-body-lone-surrogate-escape.json")]
    public void A_rekor_body_that_does_not_decode_is_SC4406(string name)
    {
        byte[] manifest = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "oci-manifest", name));
        ManifestEntry layer = Assert.Single(ManifestDocument.Parse(manifest).Layers);
        var ex = Assert.ThrowsAny<SupplyChainException>(() =>
            LegacySignatureLayer.ToBundle(layer.Descriptor.Annotations!, SimpleSigningPayload.Create("registry.example/app", "sha256:" + new string('a', 64)), isEnvelope: false));
        Assert.Equal("SC4406", ex.Code);
    }

    /// <summary>
    /// A simple-signing payload (inline layer data) whose docker-manifest-digest is not UTF-8 or is an unpaired surrogate
    /// escape: <see cref="SimpleSigningPayload.ReadDigest"/> threw InvalidOperationException instead of SC4405 (the
    /// sibling of the image-config finding, kept as oci-manifest inputs so the corpus replay runs them).
    /// </summary>
    [Theory]
    [InlineData("simple-signing-digest-invalid-utf8.json")]
    [InlineData("simple-signing-digest-lone-surrogate-escape.json")]
    public void A_simple_signing_digest_that_does_not_decode_is_SC4405(string name)
    {
        byte[] manifest = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "fuzz-regressions", "oci-manifest", name));
        ManifestEntry layer = Assert.Single(ManifestDocument.Parse(manifest).Layers);
        var ex = Assert.ThrowsAny<SupplyChainException>(() => SimpleSigningPayload.ReadDigest(layer.Data!));
        Assert.Equal("SC4405", ex.Code);
    }
}
