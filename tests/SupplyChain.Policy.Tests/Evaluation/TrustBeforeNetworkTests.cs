using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>
/// Issue 13, item 2: an image's own signature is verified before its base claim is followed; claims are read only from
/// what the verified signature covers; a claim is followed only to a repository a rule or trusted root covers; the walk
/// ends only where the policy says. Every case records the repositories the registry was asked for.
/// </summary>
public sealed class TrustBeforeNetworkTests : HierarchyFixture
{
    private readonly List<string> _requested = [];

    public TrustBeforeNetworkTests()
    {
        Registry.FailRead = r => { lock (_requested) { _requested.Add(r.Registry + "/" + r.Repository); } return null; };
    }

    private static string WithTarpitRule => PolicyText(extraRules: """
          - name: tarpit
            images: ["tarpit.test/**"]
            authorities:
              - name: publisher
                keyless: { issuer: "https://publisher.example", subject: "release@publisher.example" }
        """);

    [Fact]
    public async Task An_unsigned_image_is_denied_before_its_claim_is_read_and_the_claimed_host_is_never_asked()
    {
        LineageImage trap = Images.Push("tarpit.test/base", ["b1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["b1", "x"], tag: "unsigned", annotations: trap.AsBaseClaim());
        _requested.Clear();

        PolicyVerdict verdict = await EvaluateAsync(WithTarpitRule, app);

        AssertDenied(verdict, "SC5102", 0);
        Assert.Null(verdict.Levels[0].Level.Claim);
        Assert.DoesNotContain("tarpit.test/base", _requested);
    }

    [Fact]
    public async Task Index_annotations_are_a_claim_only_when_the_index_digest_was_signed()
    {
        LineageImage signedNoClaim = Images.Push("registry.test/app", ["b1", "n"], tag: "noclaim");
        Evidence.Sign(signedNoClaim.Digest, Ci);
        var scratch = new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch };
        LineageImage unsignedIndex = Images.PushIndex("registry.test/app", [(signedNoClaim, new OciPlatform("linux", "amd64"))], tag: "scratch-index", annotations: scratch);
        LineageImage signedIndex = Images.PushIndex("registry.test/app", [(signedNoClaim, new OciPlatform("linux", "amd64"))], tag: "scratch-index-signed", annotations: new Dictionary<string, string>(scratch) { ["x"] = "signed" });
        Evidence.Sign(signedIndex.Digest, Ci);

        PolicyVerdict unsigned = await EvaluateAsync(PolicyText(), unsignedIndex.Reference);
        PolicyVerdict signed = await EvaluateAsync(PolicyText(), signedIndex.Reference);

        AssertDenied(unsigned, "SC5105", 0);
        Assert.Equal(LineageEnd.NoClaim, unsigned.Lineage!.End);
        Assert.True(signed.Allowed, signed.ErrorDetail);
        Assert.Equal(ClaimSource.IndexAnnotation, signed.Levels[0].Level.Claim!.Source);
    }

    [Fact]
    public async Task An_empty_base_from_a_repository_no_rule_covers_is_denied_without_a_request_and_a_ruled_empty_base_is_not_a_root()
    {
        LineageImage emptyUnruled = Images.Push("unruled.test/empty", [], tag: "1");
        LineageImage emptyRuled = Images.Push("registry.test/base", [], tag: "empty");
        Evidence.Sign(emptyRuled.Digest, Publisher);
        LineageImage onUnruled = Images.Push("registry.test/app", ["l1", "l2", "l3", "l4", "l5"], tag: "on-unruled", annotations: emptyUnruled.AsBaseClaim());
        LineageImage onRuled = Images.Push("registry.test/app", ["l1", "l2", "l3", "l4", "l5"], tag: "on-ruled", annotations: emptyRuled.AsBaseClaim());
        Evidence.Sign(onUnruled.Digest, Ci);
        Evidence.Sign(onRuled.Digest, Ci);
        _requested.Clear();

        PolicyVerdict unruled = await EvaluateAsync(PolicyText(), onUnruled);
        PolicyVerdict ruled = await EvaluateAsync(PolicyText(), onRuled);

        AssertDenied(unruled, "SC5113", 0);
        Assert.DoesNotContain("unruled.test/empty", _requested);
        AssertDenied(ruled, "SC5115", 1);
        Assert.Equal(LineageEnd.Empty, ruled.Lineage!.End);
    }

    [Fact]
    public async Task A_claim_covered_by_a_trusted_root_glob_is_followed_and_ends_there()
    {
        LineageImage vendor = Images.Push("vendor.test/os", ["v1"], tag: "1");
        LineageImage app = Images.Push("registry.test/app", ["v1", "a1"], tag: "on-vendor", annotations: vendor.AsBaseClaim());
        Evidence.Sign(app.Digest, Ci);

        PolicyVerdict verdict = await EvaluateAsync(PolicyText("    lineage: { required: true, trustedRoots: [\"vendor.test/**\"] }\n"), app);

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        Assert.Equal(LineageEnd.TrustedRoot, verdict.Lineage!.End);
        Assert.Equal(PolicyDecision.TrustedRoot, verdict.Levels[1].Decision);
    }
}
