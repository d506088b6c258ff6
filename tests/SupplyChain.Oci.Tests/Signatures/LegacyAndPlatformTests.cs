using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>Legacy cosign tags (<c>.sig</c>, <c>.att</c>), key-signed signatures without a log, multi-arch indexes, attestation types.</summary>
public sealed class LegacyAndPlatformTests : IDisposable
{
    private readonly SignatureTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void A_legacy_signature_round_trips_and_reattaching_it_adds_no_layer()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachLegacySignature(image);
        _bed.AttachLegacySignature(image);
        string tag = "sha256-" + image.Digest[7..] + ".sig";

        using (JsonDocument doc = JsonDocument.Parse(_bed.Tagged(tag)!.Content))
        {
            JsonElement layers = doc.RootElement.GetProperty("layers");
            Assert.Equal(2, layers.GetArrayLength());
            JsonElement layer = layers[0];
            Assert.Equal("application/vnd.dev.cosign.simplesigning.v1+json", layer.GetProperty("mediaType").GetString());
            JsonElement annotations = layer.GetProperty("annotations");
            Assert.True(annotations.TryGetProperty("dev.cosignproject.cosign/signature", out _));
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", annotations.GetProperty("dev.sigstore.cosign/certificate").GetString(), StringComparison.Ordinal);
            using JsonDocument rekor = JsonDocument.Parse(annotations.GetProperty("dev.sigstore.cosign/bundle").GetString()!);
            Assert.True(rekor.RootElement.GetProperty("Payload").TryGetProperty("logID", out _));
        }

        ImageVerificationResult result = _bed.Verify(image);
        Assert.Equal(AttachmentFormat.LegacyTag, result.Signature.Format);
        Assert.Equal(tag + " layer 0", result.Signature.Location);
        Assert.NotEmpty(result.Details!.LogEntries);
    }

    [Fact]
    public async Task The_same_legacy_layer_attached_twice_is_kept_once()
    {
        OciDescriptor image = _bed.PushImage();
        byte[] payload = SimpleSigningPayload.Create("registry.test:5000/team/app", image.Digest);
        byte[] bundle = _bed.Virtual.SignMessage(payload);
        OciDescriptor first = await _bed.Attacher.AttachLegacyAsync(SignatureTestBed.Repo, image.Digest, bundle, payload);
        OciDescriptor second = await _bed.Attacher.AttachLegacyAsync(SignatureTestBed.Repo, image.Digest, bundle, payload);
        Assert.Equal(first.Digest, second.Digest);
    }

    [Fact]
    public void A_legacy_tag_replaced_by_a_concurrent_writer_is_merged_again_so_both_signatures_stay()
    {
        OciDescriptor image = _bed.PushImage();
        string tag = "sha256-" + image.Digest[7..] + ".sig";
        _bed.AttachLegacySignature(image);
        byte[] competitor = _bed.Tagged(tag)!.Content.ToArray();
        int writes = 0;

        // The first rewrite is overwritten at once by a writer that still saw the old manifest.
        _bed.Registry.OnTagPushed = pushed =>
        {
            if (pushed == tag && writes++ == 0)
            {
                _bed.Registry.Put(SignatureTestBed.Repo, OciMediaTypes.ImageManifest, competitor, tag);
            }
        };
        _bed.AttachLegacySignature(image);

        Assert.Equal(2, writes);
        using JsonDocument doc = JsonDocument.Parse(_bed.Tagged(tag)!.Content);
        Assert.Equal(2, doc.RootElement.GetProperty("layers").GetArrayLength());
    }

    [Fact]
    public void A_legacy_tag_that_keeps_being_replaced_gives_up_with_a_code()
    {
        OciDescriptor image = _bed.PushImage();
        string tag = "sha256-" + image.Digest[7..] + ".sig";
        _bed.AttachLegacySignature(image);
        byte[] competitor = _bed.Tagged(tag)!.Content.ToArray();
        _bed.Registry.OnTagPushed = pushed => _bed.Registry.Put(SignatureTestBed.Repo, OciMediaTypes.ImageManifest, competitor, pushed);

        Assert.Equal("SC4416", Assert.ThrowsAny<SupplyChainException>(() => _bed.AttachLegacySignature(image)).Code);
    }

    [Fact]
    public void A_legacy_payload_for_another_digest_cannot_be_attached_nor_verified()
    {
        OciDescriptor a = _bed.PushImage("a");
        OciDescriptor b = _bed.PushImage("b");
        byte[] payload = SimpleSigningPayload.Create("registry.test:5000/team/app", a.Digest);
        byte[] bundle = _bed.Virtual.SignMessage(payload);

        SupplyChainException attach = Assert.ThrowsAny<SupplyChainException>(() => _bed.Attacher.AttachLegacyAsync(SignatureTestBed.Repo, b.Digest, bundle, payload).GetAwaiter().GetResult());
        Assert.Equal("SC4403", attach.Code);

        // Written by someone else regardless: verification refuses it.
        PushSkopeoStyleLayer(b, payload, _bed.Key.SignData(payload, HashAlgorithmName.SHA256));
        SupplyChainException verify = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(b, _bed.KeyPolicy(), ignoreTlog: true));
        Assert.Equal("SC4402", verify.Code);
        Assert.Contains("SC4403", verify.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_signed_legacy_signature_without_a_log_needs_the_explicit_opt_out()
    {
        OciDescriptor image = _bed.PushImage();
        byte[] payload = SimpleSigningPayload.Create("registry.test:5000/team/app", image.Digest);
        PushSkopeoStyleLayer(image, payload, _bed.Key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image, _bed.KeyPolicy()));
        Assert.Equal("SC4402", ex.Code);
        Assert.Contains("SC4407", ex.Message, StringComparison.Ordinal);

        ImageVerificationResult result = _bed.Verify(image, _bed.KeyPolicy(), ignoreTlog: true);
        Assert.True(result.TransparencyLogIgnored);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherPolicy = Core.Verification.VerificationPolicy.ForPublicKey(Core.Keys.PublicKeyVerifier.FromSubjectPublicKeyInfo(other.ExportSubjectPublicKeyInfo()));
        SupplyChainException wrongKey = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image, otherPolicy, ignoreTlog: true));
        Assert.Contains("SC4411", wrongKey.Message, StringComparison.Ordinal);

        // Keyless policies never accept a signature without certificate and log.
        SupplyChainException keyless = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image, SignatureTestBed.Identity(), ignoreTlog: true));
        Assert.Contains("SC4407", keyless.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_attestation_round_trips_and_is_filtered_by_type()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachAttestation(image, "slsaprovenance1", legacy: true);

        ImageVerificationResult result = _bed.Verify(image, type: "https://slsa.dev/provenance/v1");
        Assert.Equal(AttachmentFormat.LegacyTag, result.Signature.Format);
        Assert.Equal("https://slsa.dev/provenance/v1", result.PredicateType);

        SupplyChainException other = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image, type: "https://cyclonedx.org/bom"));
        Assert.Equal("SC4401", other.Code);
    }

    [Theory]
    [InlineData("slsaprovenance1", "https://slsa.dev/provenance/v1")]
    [InlineData("cyclonedx", "https://cyclonedx.org/bom")]
    [InlineData("spdxjson", "https://spdx.dev/Document")]
    [InlineData("custom", "https://cosign.sigstore.dev/attestation/v1")]
    [InlineData("https://example.com/predicate/v1", "https://example.com/predicate/v1")]
    public void Attestations_of_each_type_verify_and_signatures_are_not_attestations(string type, string uri)
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachAttestation(image, type);

        Assert.Equal(uri, _bed.Verify(image, type: uri).PredicateType);
        Assert.Equal("SC4401", Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image)).Code);
    }

    [Theory]
    [InlineData("[1,2]", "SC4408")]
    [InlineData("{not json", "SC4408")]
    public void A_predicate_that_is_not_a_JSON_object_is_refused(string predicate, string code) =>
        Assert.Equal(code, Assert.ThrowsAny<SupplyChainException>(() => ImageStatements.Attestation(SignatureTestBed.Repo, "sha256:" + new string('a', 64), "https://x.test/p", System.Text.Encoding.UTF8.GetBytes(predicate))).Code);

    [Fact]
    public void An_unknown_short_type_is_refused() =>
        Assert.Equal("SC4409", Assert.ThrowsAny<SupplyChainException>(() => ImageStatements.ResolvePredicateType("provenance-ish")).Code);

    [Fact]
    public async Task A_platform_image_accepts_a_signature_on_its_index_and_says_which_digest_matched()
    {
        OciDescriptor amd64 = _bed.PushImage("amd64");
        OciDescriptor arm64 = _bed.PushImage("arm64");
        OciDescriptor index = _bed.Registry.PushIndex(SignatureTestBed.Repo, "multi", (amd64, "amd64"), (arm64, "arm64"));
        _bed.AttachSignature(index);

        ImageVerificationResult result = await _bed.Verifier.VerifyAsync(SignatureTestBed.Repo.WithTag("multi"), new ImageVerificationRequest { Policy = SignatureTestBed.Identity(), Platform = PlatformManifests.ParsePlatform("linux/arm64") });
        Assert.Equal(arm64.Digest, result.ImageDigest);
        Assert.Equal(index.Digest, result.MatchedDigest);

        // The platform manifest on its own is not signed.
        Assert.Equal("SC4401", Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(arm64)).Code);

        SupplyChainException missing = await Assert.ThrowsAnyAsync<SupplyChainException>(() => _bed.Verifier.VerifyAsync(SignatureTestBed.Repo.WithTag("multi"), new ImageVerificationRequest { Policy = SignatureTestBed.Identity(), Platform = new OciPlatform("linux", "s390x") }));
        Assert.Equal("SC4410", missing.Code);
    }

    [Fact]
    public async Task A_signature_on_the_platform_manifest_is_preferred_over_the_index()
    {
        OciDescriptor amd64 = _bed.PushImage("amd64");
        OciDescriptor index = _bed.Registry.PushIndex(SignatureTestBed.Repo, "multi", (amd64, "amd64"));
        _bed.AttachSignature(amd64);
        _bed.AttachSignature(index);

        ImageVerificationResult result = await _bed.Verifier.VerifyAsync(SignatureTestBed.Repo.WithTag("multi"), new ImageVerificationRequest { Policy = SignatureTestBed.Identity(), Platform = new OciPlatform("linux", "amd64") });
        Assert.Equal(amd64.Digest, result.MatchedDigest);
        Assert.Single(PlatformManifests.List(_bed.Manifest(index.Digest)));
    }

    /// <summary>A <c>.sig</c> layer with only the signature annotation, as <c>skopeo copy --sign-by-sigstore-private-key</c> writes it.</summary>
    private void PushSkopeoStyleLayer(OciDescriptor image, byte[] payload, byte[] signature)
    {
        OciDescriptor blob = _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, SignatureMediaTypes.SimpleSigning, payload).GetAwaiter().GetResult();
        string layer = $"{{\"mediaType\":\"{SignatureMediaTypes.SimpleSigning}\",\"digest\":\"{blob.Digest}\",\"size\":{blob.Size},\"annotations\":{{\"dev.cosignproject.cosign/signature\":\"{Convert.ToBase64String(signature)}\"}}}}";
        byte[] config = "{}"u8.ToArray();
        OciDescriptor configBlob = _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, OciMediaTypes.ImageConfig, config).GetAwaiter().GetResult();
        string manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"{OciMediaTypes.ImageManifest}\",\"config\":{{\"mediaType\":\"{OciMediaTypes.ImageConfig}\",\"digest\":\"{configBlob.Digest}\",\"size\":2}},\"layers\":[{layer}]}}";
        _bed.Registry.Put(SignatureTestBed.Repo, OciMediaTypes.ImageManifest, System.Text.Encoding.UTF8.GetBytes(manifest), "sha256-" + image.Digest[7..] + ".sig");
    }
}
