using System.Net;
using System.Runtime.InteropServices;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;
using SupplyChain.Oci.Tests.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>
/// Issue 13.5: a signature or attestation over its size limit is skipped unread (SC4430/SC4431, recorded like any invalid
/// signature), judged by its declared size before any download; blobs are read into one buffer of their declared size.
/// </summary>
public sealed class SizeLimitTests : IDisposable
{
    private readonly SignatureTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task A_referrer_declaring_a_huge_bundle_is_rejected_by_its_declared_size_and_the_next_signature_verifies()
    {
        OciDescriptor image = _bed.PushImage();

        // 28 MiB declared for a blob of one byte: had it been downloaded, its content would fail as a bundle (SC1002),
        // so SC4430 shows the declared size was judged first.
        OciDescriptor tiny = await _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, SignatureMediaTypes.SigstoreBundle, "x"u8.ToArray());
        await _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, OciMediaTypes.Empty, SignatureManifests.EmptyJson);
        OciDescriptor oversized = await PushReferrerAsync(image, tiny with { Size = 28L * 1024 * 1024 });

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => _bed.Verify(image));
        Assert.Equal("SC4402", ex.Code);
        Assert.Contains($"{oversized.Digest}: SC4430", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SC1002", ex.Message, StringComparison.Ordinal);

        // A valid signature beside it still verifies (whichever the listing names first).
        _bed.AttachSignature(image);
        ImageVerificationResult result = _bed.Verify(image);
        Assert.NotEqual(oversized.Digest, result.Signature.Location);
        Assert.All(result.Rejected, r => Assert.Equal("SC4430", r.Code));
    }

    [Fact]
    public async Task An_attestation_over_its_limit_is_SC4431_and_under_a_signature_limit_alone_is_not()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachAttestation(image, "slsaprovenance1");
        var tight = new ImageVerifier(_bed.Registry, _bed.Trust, null, new SignatureSizeLimits { MaxAttestationBytes = 256 });
        var request = new ImageVerificationRequest { Policy = SignatureTestBed.Identity(), PredicateType = "https://slsa.dev/provenance/v1" };

        SupplyChainException ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => tight.VerifyAsync(SignatureTestBed.Repo.WithDigest(image.Digest), request));
        Assert.Equal("SC4402", ex.Code);
        Assert.Contains("SC4431", ex.Message, StringComparison.Ordinal);

        // The signature limit does not apply to attestations.
        var tightSignatures = new ImageVerifier(_bed.Registry, _bed.Trust, null, new SignatureSizeLimits { MaxSignatureBytes = 256 });
        Assert.Equal("https://slsa.dev/provenance/v1", (await tightSignatures.VerifyAsync(SignatureTestBed.Repo.WithDigest(image.Digest), request)).PredicateType);
    }

    [Fact]
    public async Task A_legacy_sig_layer_over_the_signature_limit_is_SC4430()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachLegacySignature(image);
        var tight = new ImageVerifier(_bed.Registry, _bed.Trust, null, new SignatureSizeLimits { MaxSignatureBytes = 16 });

        SupplyChainException ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() =>
            tight.VerifyAsync(SignatureTestBed.Repo.WithDigest(image.Digest), new ImageVerificationRequest { Policy = SignatureTestBed.Identity() }));
        Assert.Equal("SC4402", ex.Code);
        Assert.Contains("SC4430", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1024, 0)]
    [InlineData(-1, 1024)]
    [InlineData(1024, (32L * 1024 * 1024) + 1)]
    public void Limits_outside_one_byte_to_32_MiB_are_SC4432(long signature, long attestation)
    {
        var limits = new SignatureSizeLimits { MaxSignatureBytes = signature, MaxAttestationBytes = attestation };
        Assert.Equal("SC4432", Assert.ThrowsAny<SupplyChainException>(() => new ImageVerifier(_bed.Registry, _bed.Trust, null, limits)).Code);
        Assert.Equal("SC4432", Assert.ThrowsAny<SupplyChainException>(() => new ImageSignatureDiscovery(_bed.Registry, limits)).Code);
    }

    [Fact]
    public void The_defaults_are_1_MiB_per_signature_and_32_MiB_per_attestation()
    {
        Assert.Equal(1024 * 1024, SignatureSizeLimits.Default.MaxSignatureBytes);
        Assert.Equal(32 * 1024 * 1024, SignatureSizeLimits.Default.MaxAttestationBytes);
    }

    [Fact]
    public async Task A_blob_is_read_into_one_buffer_of_its_declared_size_and_a_byte_more_is_SC4007()
    {
        byte[] blob = TestImages.RandomBytes(300_000);
        var descriptor = new OciDescriptor("application/octet-stream", InMemoryRegistry.Digest(blob), blob.Length);
        var exact = new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.OK, blob, "application/octet-stream"));
        using (OciRegistryClient client = StubRegistry.Client(exact, new OciRegistryClientOptions { ContentCacheBytes = 0 }))
        {
            ReadOnlyMemory<byte> read = await client.GetBlobAsync(StubRegistry.Repo, descriptor);
            Assert.True(MemoryMarshal.TryGetArray(read, out ArraySegment<byte> segment));
            Assert.Equal(blob.Length, segment.Array!.Length);
            Assert.Equal(blob, read.ToArray());
        }

        // A body longer than the descriptor, with no Content-Length to warn: cut off after the declared size.
        var longer = new StubRegistryHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new NoLengthStream([.. blob, 0x00])) });
        using OciRegistryClient lying = StubRegistry.Client(longer, new OciRegistryClientOptions { ContentCacheBytes = 0 });
        Assert.Equal("SC4007", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => lying.GetBlobAsync(StubRegistry.Repo, descriptor))).Code);
    }

    /// <summary>Pushes a bundle referrer of <paramref name="subject"/> whose one layer is <paramref name="layer"/> (no blob pushed).</summary>
    private Task<OciDescriptor> PushReferrerAsync(OciDescriptor subject, OciDescriptor layer)
    {
        byte[] manifest = OciManifest.Create(SignatureManifests.EmptyDescriptor, [layer], subject: subject, artifactType: SignatureMediaTypes.SigstoreBundle).ToJson();
        return _bed.Registry.PushReferrerAsync(SignatureTestBed.Repo, OciMediaTypes.ImageManifest, manifest);
    }

    /// <summary>A stream of known bytes that cannot say its length (no Content-Length).</summary>
    private sealed class NoLengthStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
