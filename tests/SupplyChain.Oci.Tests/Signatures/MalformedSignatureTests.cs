using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>
/// Issue 13: a malformed signature is ONE invalid signature, skipped with its code (<see cref="RejectedSignature"/>), never
/// an exception that aborts the others. In every format a hostile signature is placed BEFORE a valid one, and the
/// valid one must still verify.
/// </summary>
public sealed class MalformedSignatureTests : IDisposable
{
    private readonly SignatureTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    public static TheoryData<string, string, string> HostileAnnotations() => new()
    {
        // annotation, value, expected code
        { "dev.sigstore.cosign/bundle", """{"SignedEntryTimestamp":null,"Payload":{"body":"e30=","integratedTime":1,"logIndex":1,"logID":"00"}}""", "SC4406" },
        { "dev.sigstore.cosign/bundle", """{"SignedEntryTimestamp":"AA==","Payload":{"body":5,"integratedTime":1,"logIndex":1,"logID":"00"}}""", "SC4406" },
        { "dev.sigstore.cosign/bundle", """{"SignedEntryTimestamp":"AA==","Payload":{"body":"e30=","integratedTime":"x","logIndex":1,"logID":null}}""", "SC4406" },
        { "dev.sigstore.cosign/bundle", "not json at all", "SC4406" },
        { "dev.sigstore.cosign/bundle", "[]", "SC4406" },
        { "dev.sigstore.cosign/certificate", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "SC4406" },
        { "dev.sigstore.cosign/rfc3161timestamp", """{"SignedRFC3161Timestamp":null}""", "SC4406" },
        { "dev.cosignproject.cosign/signature", "not base64 !", "SC4406" },
    };

    [Theory]
    [MemberData(nameof(HostileAnnotations))]
    public void A_hostile_legacy_sig_layer_before_a_valid_one_is_rejected_alone(string annotation, string value, string code)
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachLegacySignature(image);
        string tag = "sha256-" + image.Digest[7..] + ".sig";
        RewriteLayers(tag, layers =>
        {
            var hostile = (JsonObject)layers[0]!.DeepClone();
            hostile["annotations"]![annotation] = value;
            return [hostile, layers[0]!.DeepClone()];
        });

        ImageVerificationResult result = _bed.Verify(image);

        Assert.Equal(tag + " layer 1", result.Signature.Location);
        RejectedSignature rejected = Assert.Single(result.Rejected);
        Assert.Equal(tag + " layer 0", rejected.Location);
        Assert.Equal(code, rejected.Code);
    }

    [Fact]
    public async Task A_hostile_legacy_att_envelope_before_a_valid_one_is_rejected_alone()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachAttestation(image, "slsaprovenance1", legacy: true);
        string tag = "sha256-" + image.Digest[7..] + ".att";
        OciDescriptor hostileBlob = await _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, "application/vnd.dsse.envelope.v1+json", """{"payloadType":null,"payload":5,"signatures":[{"sig":null}]}"""u8.ToArray());
        RewriteLayers(tag, layers =>
        {
            var hostile = (JsonObject)layers[0]!.DeepClone();
            hostile["digest"] = hostileBlob.Digest;
            hostile["size"] = hostileBlob.Size;
            return [hostile, layers[0]!.DeepClone()];
        });

        ImageVerificationResult result = _bed.Verify(image, type: "https://slsa.dev/provenance/v1");

        Assert.Equal(tag + " layer 1", result.Signature.Location);
        Assert.Equal("SC4406", Assert.Single(result.Rejected).Code);
    }

    [Fact]
    public void A_malformed_bundle_referrer_and_one_with_malformed_inline_data_before_a_valid_one_are_rejected_alone()
    {
        OciDescriptor image = _bed.PushImage();
        PushBundleReferrer(image, Encoding.UTF8.GetBytes("""{"mediaType":null,"verificationMaterial":5}"""), inline: false);
        PushBundleReferrer(image, Encoding.UTF8.GetBytes("not a bundle"), inline: true);
        _bed.AttachSignature(image);

        ImageVerificationResult result = _bed.Verify(image);

        Assert.Equal(AttachmentFormat.Referrer, result.Signature.Format);
        Assert.Equal(2, result.Rejected.Count);
        Assert.All(result.Rejected, r => Assert.StartsWith("SC1", r.Code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hostile_key_only_signature_before_a_valid_one_is_rejected_alone()
    {
        OciDescriptor image = _bed.PushImage();
        byte[] payload = SimpleSigningPayload.Create(SignatureTestBed.Repo.Registry + "/" + SignatureTestBed.Repo.Repository, image.Digest);
        byte[] signature = _bed.Key.SignData(payload, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence);
        OciDescriptor blob = await _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, SignatureMediaTypes.SimpleSigning, payload);
        string tag = "sha256-" + image.Digest[7..] + ".sig";
        JsonObject Layer(string sig) => new()
        {
            ["mediaType"] = SignatureMediaTypes.SimpleSigning,
            ["digest"] = blob.Digest,
            ["size"] = blob.Size,
            ["annotations"] = new JsonObject { ["dev.cosignproject.cosign/signature"] = sig },
        };
        PushLegacyTag(tag, [Layer("%%% not base64"), Layer(Convert.ToBase64String(signature))]);

        ImageVerificationResult result = _bed.Verify(image, _bed.KeyPolicy(), ignoreTlog: true);

        Assert.Equal(tag + " layer 1", result.Signature.Location);
        Assert.Equal("SC4406", Assert.Single(result.Rejected).Code);
    }

    [Fact]
    public async Task The_set_decides_each_signature_per_policy_and_an_unprocessable_one_never_aborts_the_rest()
    {
        OciDescriptor image = _bed.PushImage();
        _bed.AttachLegacySignature(image);
        string tag = "sha256-" + image.Digest[7..] + ".sig";
        RewriteLayers(tag, layers =>
        {
            var hostile = (JsonObject)layers[0]!.DeepClone();
            hostile["annotations"]!["dev.sigstore.cosign/bundle"] = """{"SignedEntryTimestamp":null,"Payload":{}}""";
            return [hostile, layers[0]!.DeepClone()];
        });

        ImageSignatureSet set = await _bed.Verifier.CollectAsync(SignatureTestBed.Repo.WithDigest(image.Digest));
        SignatureMatches right = set.Match(SignatureTestBed.Identity());
        SignatureMatches wrong = set.Match(SignatureTestBed.Identity("someone-else@example.com"));

        Assert.Equal(2, set.Found);
        Assert.Single(right.Verified);
        Assert.Empty(wrong.Verified);
        Assert.Equal(["SC4406", "SC1601"], wrong.Rejected.Select(r => r.Code));
    }

    private void RewriteLayers(string tag, Func<JsonArray, JsonNode[]> rewrite)
    {
        JsonObject manifest = JsonNode.Parse(_bed.Tagged(tag)!.Content.Span)!.AsObject();
        PushLegacyTag(tag, rewrite(manifest["layers"]!.AsArray()), manifest);
    }

    private void PushLegacyTag(string tag, JsonNode[] layers, JsonObject? template = null)
    {
        JsonObject manifest = template ?? new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = PushEmptyConfig(), ["size"] = 2 },
        };
        manifest["layers"] = new JsonArray(layers);
        _bed.Registry.PushManifestAsync(SignatureTestBed.Repo, OciMediaTypes.ImageManifest, Encoding.UTF8.GetBytes(manifest.ToJsonString()), tag).GetAwaiter().GetResult();
    }

    private string PushEmptyConfig() =>
        _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, "application/vnd.oci.image.config.v1+json", "{}"u8.ToArray()).GetAwaiter().GetResult().Digest;

    private void PushBundleReferrer(OciDescriptor subject, byte[] bundle, bool inline)
    {
        OciDescriptor blob = _bed.Registry.PushBlobAsync(SignatureTestBed.Repo, SignatureMediaTypes.SigstoreBundle, bundle).GetAwaiter().GetResult();
        var layer = new JsonObject { ["mediaType"] = SignatureMediaTypes.SigstoreBundle, ["digest"] = blob.Digest, ["size"] = blob.Size };
        if (inline)
        {
            layer["data"] = Convert.ToBase64String(bundle);
        }

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["artifactType"] = SignatureMediaTypes.SigstoreBundle,
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.empty.v1+json", ["digest"] = PushEmptyConfig(), ["size"] = 2 },
            ["layers"] = new JsonArray(layer),
            ["subject"] = new JsonObject { ["mediaType"] = subject.MediaType, ["digest"] = subject.Digest, ["size"] = subject.Size },
        };
        _bed.Registry.PushReferrerAsync(SignatureTestBed.Repo, OciMediaTypes.ImageManifest, Encoding.UTF8.GetBytes(manifest.ToJsonString())).GetAwaiter().GetResult();
    }
}
