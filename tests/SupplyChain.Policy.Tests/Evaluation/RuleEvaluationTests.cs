using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>Thresholds (k-of-n), attestation requirements, index signatures and evidence or registry failures (fail closed).</summary>
public class RuleEvaluationTests : HierarchyFixture
{
    private string TwoOfTwo => PolicyText($$"""
              - name: release-key
                key:
                  pem: "{{ReleaseKey.ExportSubjectPublicKeyInfoPem().ReplaceLineEndings("\\n")}}"
            threshold: 2
        """);

    [Fact]
    public async Task Two_of_two_needs_both_the_ci_identity_and_the_release_key()
    {
        PolicyVerdict onlyCi = await EvaluateAsync(TwoOfTwo);
        Evidence.Sign(App.Digest, FakeSignature.Key(ReleaseKey.ExportSubjectPublicKeyInfo()));
        PolicyVerdict both = await EvaluateAsync(TwoOfTwo);

        AssertDenied(onlyCi, "SC5103", 0);
        Assert.True(both.Allowed);
        Assert.Equal(["ci", "release-key"], both.Levels[0].Signers.Select(s => s.AuthorityName).Order());
    }

    [Fact]
    public async Task Two_signatures_by_the_same_authority_do_not_make_two_of_two()
    {
        Evidence.Sign(App.Digest, FakeSignature.Keyless(CiSubject.Replace("/app/", "/other/", StringComparison.Ordinal), CiIssuer));

        PolicyVerdict verdict = await EvaluateAsync(TwoOfTwo);

        AssertDenied(verdict, "SC5103", 0);
        Assert.Equal("ci", Assert.Single(verdict.Levels[0].Signers).AuthorityName);
    }

    [Fact]
    public async Task Another_key_does_not_satisfy_the_key_authority()
    {
        using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Evidence.Sign(App.Digest, FakeSignature.Key(otherKey.ExportSubjectPublicKeyInfo()));

        AssertDenied(await EvaluateAsync(TwoOfTwo), "SC5103", 0);
    }

    [Fact]
    public async Task A_required_attestation_must_be_present_and_signed_by_its_authority()
    {
        string policy = PolicyText($"    attestations: [{{ predicateType: \"{Provenance}\", authorities: [ci] }}]\n");

        PolicyVerdict missing = await EvaluateAsync(policy);
        Evidence.Attest(App.Digest, Provenance, Publisher);
        Evidence.Attest(App.Digest, "https://cyclonedx.org/bom", Ci);
        PolicyVerdict wrongSignerOrType = await EvaluateAsync(policy);
        Evidence.Attest(App.Digest, Provenance, Ci);
        PolicyVerdict present = await EvaluateAsync(policy);

        AssertDenied(missing, "SC5104", 0);
        AssertDenied(wrongSignerOrType, "SC5104", 0);
        Assert.True(present.Allowed);
        Assert.Equal(Provenance, Assert.Single(present.Levels[0].Attestations).PredicateType);
    }

    [Fact]
    public async Task A_signature_on_the_index_covers_the_platform_manifest_resolved_from_it()
    {
        var arm = new OciPlatform("linux", "arm64");
        LineageImage appArm = Images.Push("registry.test/app", ["b1", "r1", "arm"], platform: arm, annotations: Runtime.AsBaseClaim());
        LineageImage index = Images.PushIndex("registry.test/app", [(App, LineageOptions.DefaultPlatform), (appArm, arm)], tag: "multi");
        Evidence.Sign(index.Digest, Ci);
        string policy = PolicyText(appRule: "");

        PolicyVerdict verdict = await EvaluateAsync(policy, ImageReference.Parse("registry.test/app:multi"), PlatformSet.Of(arm));

        Assert.True(verdict.Allowed);
        Assert.Equal(appArm.Digest, verdict.Levels[0].Level.Digest);
        Assert.Equal(index.Digest, verdict.Levels[0].Level.IndexDigest);
        Assert.Equal(index.Digest, Assert.Single(verdict.Levels[0].Signers).SignedDigest);
    }

    [Fact]
    public async Task An_evidence_failure_denies_with_a_code_never_reads_as_unsigned_and_below_the_top_is_never_a_registry_error()
    {
        var throttled = new ErrorCode("SC4099", ErrorCategory.ServiceFailure, "test: referrers listing throttled");
        Evidence.Fail = subject => subject.Digest == Runtime.Digest ? throttled.ToException("HTTP 503 (TOOMANY: remote text)") : null;
        PolicyVerdict below = await EvaluateAsync(PolicyText());
        Evidence.Fail = subject => subject.Digest == App.Digest ? throttled.ToException("429") : null;
        PolicyVerdict top = await EvaluateAsync(PolicyText());

        AssertDenied(below, "SC5112", 1);
        Assert.Contains("SC4099", below.ErrorDetail, StringComparison.Ordinal);
        Assert.Contains("HTTP 5xx", below.ErrorDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("remote text", below.ErrorDetail, StringComparison.Ordinal);
        AssertDenied(top, "SC4099", 0);
    }

    [Fact]
    public async Task A_registry_failure_below_the_top_denies_with_SC5112()
    {
        var unreachable = new ErrorCode("SC4098", ErrorCategory.ServiceFailure, "test: registry unreachable");
        Registry.FailRead = reference => reference.Repository == "base" ? unreachable.ToException("connection refused") : null;

        PolicyVerdict verdict = await EvaluateAsync(PolicyText());

        AssertDenied(verdict, "SC5112", 1);
        Assert.Equal(LineageEnd.Failed, verdict.Lineage!.End);
    }

    [Fact]
    public async Task A_missing_top_image_is_denied_with_no_levels()
    {
        PolicyVerdict verdict = await EvaluateAsync(PolicyText(), ImageReference.Parse("registry.test/app:missing"));

        Assert.False(verdict.Allowed);
        Assert.Equal("SC4610", verdict.Error?.Code);
        Assert.Empty(verdict.Levels);
    }

    [Fact]
    public async Task Every_level_is_asked_about_by_its_own_digest_and_repository()
    {
        await EvaluateAsync(PolicyText());

        Assert.Equal(
            [$"registry.test/app@{App.Digest}", $"registry.test/runtime@{Runtime.Digest}", $"registry.test/base@{Base.Digest}"],
            Evidence.Asked.Select(s => s.Registry + "/" + s.Repository + "@" + s.Digest));
    }
}
