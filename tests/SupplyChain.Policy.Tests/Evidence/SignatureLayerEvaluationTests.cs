using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Policy.Tests.Evidence;

/// <summary>
/// The evaluator over the real signature layer (<see cref="OciSignatureEvidenceSource"/>, VirtualSigstore bundles, the
/// in-memory registry's referrers): k-of-n counts distinct signers (issue 13 item 6), and a malformed signature placed
/// before a valid one is skipped with its code (item 8).
/// </summary>
public sealed class SignatureLayerEvaluationTests : IDisposable
{
    private const string OtherIdentity = "https://github.com/virtual-org/other-repo/.github/workflows/release.yml@refs/heads/main";
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private readonly InMemoryRegistry _registry = new();
    private readonly ImageReference _repository = ImageReference.Parse("registry.test/apps/web");

    public void Dispose() => _sigstore.Dispose();

    /// <summary>Two authorities that BOTH accept the default identity (one exact, one a regular expression over the organisation).</summary>
    private static string TwoOfTwo => $$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: apps
            images: ["registry.test/**"]
            threshold: 2
            authorities:
              - name: release
                keyless: { issuer: "{{SigningOptions.DefaultIssuer}}", subject: "{{SigningOptions.DefaultIdentity}}" }
              - name: org
                keyless: { issuer: "{{SigningOptions.DefaultIssuer}}", subjectRegExp: "https://github\\.com/virtual-org/.*" }
        """;

    private static string OneOf => TwoOfTwo.Replace("threshold: 2", "threshold: 1", StringComparison.Ordinal);

    private async Task<PushedImage> PushAsync(string tag) => await TestImages.PushImageAsync(_registry, _repository, tag);

    private async Task SignAsync(PushedImage image, SigningOptions? options = null)
    {
        byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(_repository, image.Descriptor.Digest), options);
        await new ImageSignatureAttacher(_registry).AttachBundleAsync(_repository, image.Descriptor, bundle);
    }

    private Task<PolicyVerdict> EvaluateAsync(string policy, PushedImage image) =>
        new PolicyEvaluator(ImagePolicy.Parse(policy), _registry, new OciSignatureEvidenceSource(_registry, TrustedRoot.Parse(_sigstore.TrustedRootBytes)))
            .EvaluateAsync(_repository.WithDigest(image.Descriptor.Digest));

    [Fact]
    public async Task One_signature_that_matches_two_authorities_does_not_meet_threshold_two_and_two_distinct_signers_do()
    {
        PushedImage once = await PushAsync("once");
        await SignAsync(once);
        PushedImage sameTwice = await PushAsync("same-twice");
        await SignAsync(sameTwice);
        await SignAsync(sameTwice);
        PushedImage two = await PushAsync("two");
        await SignAsync(two);
        await SignAsync(two, new SigningOptions { Identity = OtherIdentity });

        PolicyVerdict oneSignature = await EvaluateAsync(TwoOfTwo, once);
        PolicyVerdict oneIdentityTwice = await EvaluateAsync(TwoOfTwo, sameTwice);
        PolicyVerdict twoSigners = await EvaluateAsync(TwoOfTwo, two);

        Assert.False(oneSignature.Allowed);
        Assert.Equal("SC5103", oneSignature.Error?.Code);
        Assert.Single(oneSignature.Levels[0].Signers);
        Assert.Equal("SC5103", oneIdentityTwice.Error?.Code);
        Assert.True(twoSigners.Allowed, twoSigners.ErrorDetail);
        Assert.Equal(
            [("org", $"{OtherIdentity} ({SigningOptions.DefaultIssuer})"), ("release", $"{SigningOptions.DefaultIdentity} ({SigningOptions.DefaultIssuer})")],
            twoSigners.Levels[0].Signers.Select(s => (s.AuthorityName, s.Identity)).Order());
    }

    [Fact]
    public async Task A_malformed_legacy_layer_before_a_valid_one_is_skipped_with_its_code_and_the_image_is_allowed()
    {
        PushedImage image = await PushAsync("legacy");
        byte[] payload = SimpleSigningPayload.Create(_repository.Registry + "/" + _repository.Repository, image.Descriptor.Digest);
        await new ImageSignatureAttacher(_registry, legacySettleDelay: TimeSpan.Zero).AttachLegacyAsync(_repository, image.Descriptor.Digest, _sigstore.SignMessage(payload), payload);
        string tag = "sha256-" + image.Descriptor.Digest[7..] + ".sig";
        JsonObject manifest = JsonNode.Parse((await _registry.TryGetManifestAsync(_repository.WithTag(tag)))!.Content.Span)!.AsObject();
        var hostile = (JsonObject)manifest["layers"]![0]!.DeepClone();
        hostile["annotations"]!["dev.sigstore.cosign/bundle"] = """{"SignedEntryTimestamp":null,"Payload":{"body":"e30=","integratedTime":1,"logIndex":1,"logID":"00"}}""";
        manifest["layers"] = new JsonArray(hostile, manifest["layers"]![0]!.DeepClone());
        await _registry.PushManifestAsync(_repository, manifest["mediaType"]!.GetValue<string>(), Encoding.UTF8.GetBytes(manifest.ToJsonString()), tag);

        PolicyVerdict verdict = await EvaluateAsync(OneOf, image);

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        RejectedSignature rejected = Assert.Single(verdict.Levels[0].Rejected);
        Assert.Equal((tag + " layer 0", "SC4406"), (rejected.Location, rejected.Code));
        Assert.Contains("\"code\": \"SC4406\"", Encoding.UTF8.GetString(verdict.ToJson()), StringComparison.Ordinal);
    }
}
