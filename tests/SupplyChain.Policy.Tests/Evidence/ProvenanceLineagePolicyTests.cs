using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;
using static SupplyChain.Testing.Oci.ProvenanceStatements;

namespace SupplyChain.Policy.Tests.Evidence;

/// <summary>
/// Issue 20 over the real signature layer (VirtualSigstore keyless bundles attached as referrers, the evaluator's own
/// provenance source): base images followed from SLSA provenance verified under each level's own rule, a policy that
/// requires provenance-backed claims, and the attacks: an untrusted signer, a provenance about another digest, a base in
/// a registry no rule covers, a provenance whose builder the rule's conditions refuse.
/// </summary>
public sealed class ProvenanceLineagePolicyTests : IDisposable
{
    private const string Publisher = "https://github.com/virtual-org/platform/.github/workflows/release.yml@refs/heads/main";
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private readonly InMemoryRegistry _registry = new();
    private readonly LineageImages _images;
    private readonly List<string> _requested = [];
    private readonly LineageImage _os;
    private readonly LineageImage _runtime;
    private readonly LineageImage _golang;

    public ProvenanceLineagePolicyTests()
    {
        _images = new LineageImages(_registry);
        _os = _images.Push("registry.test/os", ["o1"], tag: "1", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        _runtime = _images.Push("registry.test/runtime", ["o1", "r1"], tag: "1");
        _golang = _images.Push("registry.test/golang", ["o1", "g1"], tag: "1.22");
        foreach (LineageImage image in (LineageImage[])[_os, _runtime, _golang])
        {
            Sign(image, Publisher);
        }

        Attest(_os, V1(_os.Digest), Publisher);
        Attest(_runtime, V1(_runtime.Digest, Dependency(_os)), Publisher);
        _registry.FailRead = r => { lock (_requested) { _requested.Add(r.Registry + "/" + r.Repository); } return null; };
    }

    public void Dispose() => _sigstore.Dispose();

    private static string Policy(string lineage = "{ required: true, requireProvenance: true, maxDepth: 4 }", string appExtra = "") => $$"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        rules:
          - name: apps
            images: ["registry.test/app"]
            authorities:
              - name: ci
                keyless: { issuer: "{{SigningOptions.DefaultIssuer}}", subject: "{{SigningOptions.DefaultIdentity}}" }
        {{appExtra}}
            lineage: {{lineage}}
          - name: platform
            images: ["registry.test/os", "registry.test/runtime", "registry.test/golang"]
            authorities:
              - name: publisher
                keyless: { issuer: "{{SigningOptions.DefaultIssuer}}", subject: "{{Publisher}}" }
        """;

    private void Sign(LineageImage image, string identity)
    {
        byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(image.Reference, image.Digest), new SigningOptions { Identity = identity });
        Attach(image, bundle);
    }

    /// <summary>Attests <paramref name="statement"/>'s predicate about <paramref name="about"/> (the image itself unless another digest is given), attached to <paramref name="image"/>.</summary>
    private void Attest(LineageImage image, JsonObject statement, string identity, LineageImage? about = null)
    {
        byte[] predicate = Encoding.UTF8.GetBytes(statement["predicate"]!.ToJsonString());
        byte[] payload = ImageStatements.Attestation((about ?? image).Reference, (about ?? image).Digest, statement["predicateType"]!.GetValue<string>(), predicate);
        Attach(image, _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, payload, new SigningOptions { Identity = identity }));
    }

    private void Attach(LineageImage image, byte[] bundle)
    {
        FetchedManifest manifest = _registry.TryGetManifestAsync(image.Reference).GetAwaiter().GetResult()!;
        new ImageSignatureAttacher(_registry).AttachBundleAsync(image.Reference, manifest.Descriptor, bundle).GetAwaiter().GetResult();
    }

    private Task<PolicyVerdict> EvaluateAsync(string policy, LineageImage image) =>
        new PolicyEvaluator(ImagePolicy.Parse(policy), _registry, new OciSignatureEvidenceSource(_registry, TrustedRoot.Parse(_sigstore.TrustedRootBytes))).EvaluateAsync(image.Reference);

    private LineageImage App(string tag, params string[] extraLayers)
    {
        LineageImage app = _images.Push("registry.test/app", ["o1", "r1", .. extraLayers], tag: tag, labels: new Dictionary<string, string> { ["build"] = tag });
        Sign(app, SigningOptions.DefaultIdentity);
        return app;
    }

    [Fact]
    public async Task A_lineage_is_followed_from_verified_provenance_alone_down_to_scratch()
    {
        LineageImage app = App("v02", "a1");
        Attest(app, V02(app.Digest, Dependency(_golang), Dependency(_runtime)), SigningOptions.DefaultIdentity);

        PolicyVerdict verdict = await EvaluateAsync(Policy(), app);

        Assert.True(verdict.Allowed, verdict.ErrorDetail);
        Assert.Equal(["registry.test/app", "registry.test/runtime", "registry.test/os"], verdict.Levels.Select(l => l.Level.Name));
        Assert.Equal(ClaimSource.Provenance, verdict.Levels[0].Level.Claim!.Source);
        Assert.Equal([BaseCandidateOutcome.NotProved, BaseCandidateOutcome.Chosen], verdict.Levels[0].Level.Provenance!.Candidates.Select(c => c.Outcome));
        Assert.Equal(ClaimSource.Provenance, verdict.Levels[1].Level.Claim!.Source);
        Assert.Equal(ClaimSources.ManifestAnnotations, verdict.Levels[2].Level.Claim!.Sources);
        Assert.Equal(LineageEnd.Scratch, verdict.Lineage!.End);
    }

    [Fact]
    public async Task An_annotation_alone_no_longer_suffices_where_the_policy_requires_provenance()
    {
        LineageImage app = _images.Push("registry.test/app", ["o1", "r1", "a1"], tag: "annotated", annotations: _runtime.AsBaseClaim());
        Sign(app, SigningOptions.DefaultIdentity);

        PolicyVerdict required = await EvaluateAsync(Policy(), app);
        PolicyVerdict optional = await EvaluateAsync(Policy("{ required: true, claimSources: [annotations, labels, provenance], maxDepth: 4 }"), app);

        Assert.Equal("SC4654", required.Levels[0].Error?.Code);
        Assert.False(required.Allowed);
        Assert.True(optional.Allowed, optional.ErrorDetail);
        Assert.Equal(ClaimSources.ManifestAnnotations, optional.Levels[0].Level.Claim!.Sources);
        Assert.True(optional.Levels[1].Level.Claim!.Sources.HasFlag(ClaimSources.Provenance));
    }

    [Fact]
    public async Task A_provenance_signed_by_an_authority_the_rule_does_not_trust_names_nothing()
    {
        LineageImage app = App("untrusted", "a1");
        Attest(app, V1(app.Digest, Dependency(_runtime)), Publisher);

        PolicyVerdict verdict = await EvaluateAsync(Policy(), app);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC5105", verdict.Levels[0].Error?.Code);
        Assert.Null(verdict.Levels[0].Level.Provenance);
        Assert.Single(verdict.Levels);
    }

    [Fact]
    public async Task A_provenance_about_another_digest_names_nothing()
    {
        LineageImage app = App("other-digest", "a1");
        LineageImage sibling = App("sibling", "a2");
        Attest(app, V1(sibling.Digest, Dependency(_runtime)), SigningOptions.DefaultIdentity, about: sibling);

        PolicyVerdict verdict = await EvaluateAsync(Policy(), app);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC5105", verdict.Levels[0].Error?.Code);
        Assert.Null(verdict.Levels[0].Level.Provenance);
    }

    [Fact]
    public async Task A_base_in_a_registry_no_rule_covers_is_never_requested()
    {
        LineageImage tarpit = _images.Push("tarpit.test/base", ["o1", "r1"], tag: "1");
        LineageImage app = App("tarpit", "a1");
        Attest(app, V1(app.Digest, Dependency(tarpit)), SigningOptions.DefaultIdentity);
        _requested.Clear();

        PolicyVerdict verdict = await EvaluateAsync(Policy(), app);

        Assert.False(verdict.Allowed);
        Assert.Equal("SC5105", verdict.Levels[0].Error?.Code);
        BaseCandidate candidate = Assert.Single(verdict.Levels[0].Level.Provenance!.Candidates);
        Assert.Equal(BaseCandidateOutcome.NotCovered, candidate.Outcome);
        Assert.StartsWith("SC5113", candidate.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("tarpit.test/base", _requested);
    }

    [Fact]
    public async Task A_dependency_that_does_not_prove_is_no_base_and_an_annotation_it_contradicts_is_not_backed()
    {
        LineageImage app = _images.Push("registry.test/app", ["o1", "r1", "a1"], tag: "unproved", annotations: _runtime.AsBaseClaim());
        Sign(app, SigningOptions.DefaultIdentity);
        Attest(app, V1(app.Digest, Dependency(_golang)), SigningOptions.DefaultIdentity);

        PolicyVerdict verdict = await EvaluateAsync(Policy(), app);

        Assert.Equal("SC4654", verdict.Levels[0].Error?.Code);
        Assert.Equal(BaseCandidateOutcome.NotProved, verdict.Levels[0].Level.Provenance!.Candidates[0].Outcome);
    }

    [Fact]
    public async Task The_rules_attestation_conditions_choose_which_provenance_names_candidates()
    {
        LineageImage twin = _images.Push("registry.test/runtime", ["o1", "r1"], tag: "twin", labels: new Dictionary<string, string> { ["twin"] = "1" });
        Sign(twin, Publisher);
        LineageImage app = App("conditions", "a1");
        JsonObject good = V1(app.Digest, Dependency(_runtime));
        good["predicate"]!["runDetails"]!["builder"]!["id"] = "https://builder.example/ci";
        JsonObject evil = V1(app.Digest, Dependency(twin));
        evil["predicate"]!["runDetails"]!["builder"]!["id"] = "https://evil.example/ci";
        Attest(app, good, SigningOptions.DefaultIdentity);
        Attest(app, evil, SigningOptions.DefaultIdentity);
        string conditioned = "    attestations: [{ predicateType: \"https://slsa.dev/provenance/v1\", conditions: { builderId: \"https://builder.example/*\" } }]";

        PolicyVerdict withConditions = await EvaluateAsync(Policy(appExtra: conditioned), app);
        PolicyVerdict without = await EvaluateAsync(Policy(), app);

        Assert.True(withConditions.Allowed, withConditions.ErrorDetail);
        Assert.Equal(_runtime.Digest, withConditions.Levels[0].Level.Claim!.Digest);
        Assert.Contains(withConditions.Levels[0].Rejected, r => r.Code == "SC5131");
        Assert.Equal("SC4653", without.Levels[0].Error?.Code);
    }

    [Theory]
    [InlineData("{ required: true, claimSources: [annotations, signatures] }", "SC5006")]
    [InlineData("{ required: true, claimSources: [labels, labels] }", "SC5006")]
    [InlineData("{ required: true, claimSources: [] }", "SC5006")]
    [InlineData("{ required: true, claimSources: [annotations], requireProvenance: true }", "SC5006")]
    [InlineData("{ required: true, requireProvenace: true }", "SC5004")]
    public void Invalid_claim_sources_are_refused_when_the_policy_loads(string lineage, string code)
    {
        var ex = Assert.ThrowsAny<Core.Errors.SupplyChainException>(() => ImagePolicy.Parse(Policy(lineage)));

        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public void Claim_sources_default_to_annotations_and_labels_and_requireProvenance_adds_provenance()
    {
        LineageRequirement plain = ImagePolicy.Parse(Policy("{ required: true }")).Rules[0].Lineage!;
        LineageRequirement required = ImagePolicy.Parse(Policy()).Rules[0].Lineage!;
        LineageRequirement onlyProvenance = ImagePolicy.Parse(Policy("{ required: true, claimSources: [provenance] }")).Rules[0].Lineage!;

        Assert.Equal(ClaimSources.ManifestAnnotations | ClaimSources.IndexAnnotations | ClaimSources.ConfigLabels, plain.ClaimSources);
        Assert.False(plain.RequireProvenance);
        Assert.True(required.ClaimSources.HasFlag(ClaimSources.Provenance));
        Assert.True(required.RequireProvenance);
        Assert.Equal(ClaimSources.Provenance, onlyProvenance.ClaimSources);
    }
}
