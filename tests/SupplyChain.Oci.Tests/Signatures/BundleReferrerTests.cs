using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>Cosign 3 bundle referrers: layout, digest binding, discovery outcomes, against the in-memory referrers API.</summary>
public sealed class BundleReferrerTests : IDisposable
{
    private readonly SignatureTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void The_referrer_manifest_has_cosign_3s_layout()
    {
        OciDescriptor image = _bed.PushImage();
        OciDescriptor referrer = _bed.AttachSignature(image);

        FetchedManifest manifest = _bed.Manifest(referrer.Digest);
        using JsonDocument doc = JsonDocument.Parse(manifest.Content);
        JsonElement root = doc.RootElement;
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", root.GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", root.GetProperty("artifactType").GetString());
        Assert.Equal("application/vnd.oci.empty.v1+json", root.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", root.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal(2, root.GetProperty("config").GetProperty("size").GetInt32());
        JsonElement layer = Assert.Single(root.GetProperty("layers").EnumerateArray());
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", layer.GetProperty("mediaType").GetString());
        Assert.Equal(image.Digest, root.GetProperty("subject").GetProperty("digest").GetString());
        JsonElement annotations = root.GetProperty("annotations");
        Assert.Equal("dsse-envelope", annotations.GetProperty("dev.sigstore.bundle.content").GetString());
        Assert.Equal("https://sigstore.dev/cosign/sign/v1", annotations.GetProperty("dev.sigstore.bundle.predicateType").GetString());
        Assert.True(annotations.TryGetProperty("org.opencontainers.image.created", out _));

        // The bundle blob is pushed too (clients that ignore the embedded data fetch it).
        byte[] blob = _bed.Blob(new OciDescriptor(layer.GetProperty("mediaType").GetString()!, layer.GetProperty("digest").GetString()!, layer.GetProperty("size").GetInt64()));
        Assert.Equal(layer.GetProperty("data").GetBytesFromBase64(), blob);
    }

    [Fact]
    public void A_signed_digest_verifies_with_two_registry_requests_and_says_what_matched()
    {
        OciDescriptor image = _bed.PushImage();
        OciDescriptor referrer = _bed.AttachSignature(image);
        int before = _bed.Registry.Requests;

        ImageVerificationResult result = _bed.Verify(image);

        Assert.Equal(2, _bed.Registry.Requests - before);
        Assert.Equal(image.Digest, result.ImageDigest);
        Assert.Equal(image.Digest, result.MatchedDigest);
        Assert.Equal(referrer.Digest, result.Signature.Location);
        Assert.Equal(AttachmentFormat.Referrer, result.Signature.Format);
        Assert.Equal(SigningOptions.DefaultIdentity, result.Signer.SubjectAlternativeName);
        Assert.Equal("https://sigstore.dev/cosign/sign/v1", result.PredicateType);
        Assert.False(result.TransparencyLogIgnored);
        Assert.Contains(ImageVerificationResult.MediaType, System.Text.Encoding.UTF8.GetString(result.ToJson()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_about_image_A_attached_to_image_B_is_rejected_with_the_binding_code()
    {
        OciDescriptor a = _bed.PushImage("a");
        OciDescriptor b = _bed.PushImage("b");
        _bed.AttachSignature(b, statementDigest: a.Digest);

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(b));
        Assert.Equal("SC4402", ex.Code);
        Assert.Contains("SC4403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_identity_is_found_but_does_not_match()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachSignature(image);

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image, SignatureTestBed.Identity("https://example.com/someone-else")));
        Assert.Equal("SC4402", ex.Code);
    }

    [Fact]
    public void An_unsigned_image_is_no_signatures_found()
    {
        OciDescriptor image = _bed.PushImage();
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image));
        Assert.Equal("SC4401", ex.Code);
    }

    [Fact]
    public void A_failed_referrers_listing_propagates_and_is_never_read_as_unsigned()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachSignature(image);
        _bed.Registry.ListReferrersFailure = new ErrorCode("SC4999", ErrorCategory.ServiceFailure, "throttled (test)").ToException("429 after retries");

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image));
        Assert.Equal("SC4999", ex.Code);
        Assert.Equal(ErrorCategory.ServiceFailure, ex.Error.Category);
    }

    [Fact]
    public void A_referrer_whose_embedded_bundle_does_not_match_its_digest_is_rejected_as_malformed()
    {
        OciDescriptor image = _bed.PushImage();
        OciDescriptor referrer = _bed.AttachSignature(image);
        FetchedManifest manifest = _bed.Manifest(referrer.Digest);
        string json = System.Text.Encoding.UTF8.GetString(manifest.Content.Span);
        string tampered = System.Text.RegularExpressions.Regex.Replace(json, "\"data\":\"[A-Za-z0-9+/=]{8}", "\"data\":\"AAAAAAAA");
        Assert.NotEqual(json, tampered);
        _bed.Registry.Put(SignatureTestBed.Repo, manifest.Descriptor.MediaType, System.Text.Encoding.UTF8.GetBytes(tampered), null);
        _bed.Registry.Delete(SignatureTestBed.Repo, referrer.Digest);

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image));
        Assert.Equal("SC4402", ex.Code);
        Assert.Contains("SC4404", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_signature_bundle_on_an_image_is_not_an_image_signature()
    {
        OciDescriptor image = _bed.PushImage();
        byte[] bundle = _bed.Virtual.SignMessage(System.Text.Encoding.UTF8.GetBytes(image.Digest));
        await _bed.Attacher.AttachBundleAsync(SignatureTestBed.Repo, image, bundle);

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image));
        Assert.Equal("SC4402", ex.Code);
        Assert.Contains("SC4413", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_signed_bundle_verifies_with_the_key()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachSignature(image, options: new SigningOptions { KeyPair = _bed.Key });

        ImageVerificationResult result = _bed.Verify(image, _bed.KeyPolicy());
        Assert.Null(result.Signer.SubjectAlternativeName);
        Assert.NotEmpty(result.Details!.LogEntries);
    }

    [Fact]
    public void Discovery_lists_signatures_and_attestations_in_both_formats()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachSignature(image);
        _bed.AttachAttestation(image, "cyclonedx");
        _bed.AttachLegacySignature(image);
        _bed.AttachAttestation(image, "slsaprovenance1", legacy: true);

        IReadOnlyList<AttachedArtifact> all = _bed.List(image);

        Assert.Equal(4, all.Count);
        Assert.Contains(all, a => a is { Kind: AttachedKind.Signature, Format: AttachmentFormat.Referrer });
        Assert.Contains(all, a => a is { Kind: AttachedKind.Attestation, Format: AttachmentFormat.Referrer, PredicateType: "https://cyclonedx.org/bom" });
        Assert.Contains(all, a => a is { Kind: AttachedKind.Signature, Format: AttachmentFormat.LegacyTag });
        Assert.Contains(all, a => a is { Kind: AttachedKind.Attestation, Format: AttachmentFormat.LegacyTag, PredicateType: "https://slsa.dev/provenance/v1" });
    }
}
