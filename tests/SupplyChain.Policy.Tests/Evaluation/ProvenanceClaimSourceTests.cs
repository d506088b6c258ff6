using SupplyChain.Core.Attestations;
using SupplyChain.Oci.Lineage;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>
/// Issue 20, item 2: provenance is a claim source only where the policy says so. Without <c>claimSources</c> listing it
/// (or <c>requireProvenance</c>) not one provenance attestation is collected, so existing policies read exactly what they
/// read before; with it, each level's v1 and v0.2 provenance is collected once, and only for levels that were admitted.
/// </summary>
public sealed class ProvenanceClaimSourceTests : HierarchyFixture
{
    private static bool IsProvenance((string Digest, string? PredicateType) collected) => SlsaProvenance.IsProvenance(collected.PredicateType);

    [Fact]
    public async Task A_policy_that_does_not_read_provenance_collects_none()
    {
        PolicyVerdict verdict = await EvaluateAsync(PolicyText());

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        Assert.DoesNotContain(Evidence.Collected, IsProvenance);
        Assert.All(verdict.Levels, l => Assert.Null(l.Level.Provenance));
    }

    [Fact]
    public async Task A_policy_that_reads_provenance_collects_both_types_once_per_level_and_agrees_with_the_annotations()
    {
        PolicyVerdict verdict = await EvaluateAsync(PolicyText("    lineage: { required: true, maxDepth: 4, claimSources: [annotations, labels, provenance] }\n"));

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        Assert.Equal(
            [App.Digest, App.Digest, Runtime.Digest, Runtime.Digest, Base.Digest, Base.Digest],
            Evidence.Collected.Where(IsProvenance).Select(c => c.Digest));
        Assert.Equal(2, Evidence.Collected.Where(IsProvenance).Select(c => c.PredicateType).Distinct().Count());

        // The fake's attestations carry no verified statement: no level has provenance to read, and the annotations stand alone.
        Assert.All(verdict.Levels, l => Assert.Equal(ClaimSources.ManifestAnnotations, l.Level.Claim!.Sources));
    }

    [Fact]
    public async Task An_unsigned_level_is_denied_before_its_provenance_is_collected()
    {
        var unsigned = Images.Push("registry.test/app", ["b1", "r1", "x"], tag: "unsigned", annotations: Runtime.AsBaseClaim());

        PolicyVerdict verdict = await EvaluateAsync(PolicyText("    lineage: { required: true, requireProvenance: true }\n"), unsigned);

        AssertDenied(verdict, "SC5102", 0);
        Assert.DoesNotContain(Evidence.Collected, IsProvenance);
    }
}
