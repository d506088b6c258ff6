using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Policy.Evaluation;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>
/// <c>conditions</c> of a required attestation: parsing (SC5130, SC5004), the check on a verified attestation's
/// certificate extensions and content (VirtualSigstore leaves with CI extensions), and evaluation failing closed when the
/// evidence carries no verified content (SC5131).
/// </summary>
public sealed class AttestationConditionTests : HierarchyFixture
{
    private const string Repo = "https://github.com/acme/app";
    private static readonly byte[] Artifact = "image"u8.ToArray();

    private static string Conditions(string conditions, string predicateType = Provenance) =>
        PolicyText($"    attestations: [{{ predicateType: \"{predicateType}\", authorities: [ci], conditions: {conditions} }}]\n");

    private static AttestationConditions Parse(string conditions, string predicateType = Provenance) =>
        ImagePolicy.Parse(Conditions(conditions, predicateType)).Rules[0].Attestations[0].Conditions!;

    private static VerificationResult Verified(JsonObject predicate, string predicateType = Provenance, string repo = Repo, string runner = "github-hosted")
    {
        using var sigstore = VirtualSigstore.Create();
        var statement = new JsonObject
        {
            ["_type"] = InTotoStatement.StatementV1,
            ["subject"] = new JsonArray(new JsonObject { ["name"] = "i", ["digest"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Artifact)) } }),
            ["predicateType"] = predicateType,
            ["predicate"] = predicate,
        };
        var extensions = new Dictionary<string, string>
        {
            ["1.3.6.1.4.1.57264.1.9"] = SigningOptions.DefaultIdentity,
            ["1.3.6.1.4.1.57264.1.11"] = runner,
            [FulcioOids.SourceRepositoryUri] = repo,
            ["1.3.6.1.4.1.57264.1.14"] = "refs/heads/main",
        };
        byte[] bundle = sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, Encoding.UTF8.GetBytes(statement.ToJsonString()), new SigningOptions { Leaf = new LeafOptions { ExtraExtensions = extensions } });
        return new SigstoreVerifier(TrustedRoot.Parse(sigstore.TrustedRootBytes)).Verify(SigstoreBundle.Parse(bundle), Core.Verification.Artifact.FromBytes(Artifact), VerificationPolicy.WithoutIdentityUnsafe());
    }

    private static JsonObject SlsaPredicate(string repo = Repo) => new()
    {
        ["buildDefinition"] = new JsonObject
        {
            ["buildType"] = SlsaProvenance.GitHubActionsWorkflowBuildType,
            ["externalParameters"] = new JsonObject(),
            ["resolvedDependencies"] = new JsonArray(new JsonObject { ["uri"] = $"git+{repo}@refs/heads/main" }),
        },
        ["runDetails"] = new JsonObject { ["builder"] = new JsonObject { ["id"] = SigningOptions.DefaultIdentity } },
    };

    [Fact]
    public void Conditions_parse_patterns_and_flags()
    {
        AttestationConditions conditions = Parse("{ sourceRepository: [\"https://github.com/acme/*\", https://gitlab.com/acme/app], sourceRef: refs/heads/main, builderId: \"https://github.com/*\", hostedRunners: true }");
        Assert.Equal(2, conditions.SourceRepository.Count);
        Assert.True(conditions.SourceRepository[0].IsMatch("https://github.com/acme/app"));
        Assert.False(conditions.SourceRepository[0].IsMatch("https://github.com/other/app"));
        Assert.True(conditions.HostedRunners);
        Assert.False(conditions.Sbom);
    }

    [Theory]
    [InlineData("{ sbom: true }", Provenance, "SC5130")]
    [InlineData("{ }", Provenance, "SC5130")]
    [InlineData("{ sourceRepository: \"\" }", Provenance, "SC5006")]
    [InlineData("{ sourceRepo: x }", Provenance, "SC5004")]
    [InlineData("{ hostedRunners: maybe }", Provenance, "SC5006")]
    public void Invalid_conditions_are_refused_with_a_code(string conditions, string predicateType, string code)
    {
        Assert.Equal(code, Assert.ThrowsAny<SupplyChainException>(() => Parse(conditions, predicateType)).Code);
    }

    [Fact]
    public void A_verified_provenance_meets_or_fails_each_condition()
    {
        Assert.Null(Parse("{ sourceRepository: \"https://github.com/acme/*\", sourceRef: refs/heads/main, hostedRunners: true, builderId: \"https://github.com/virtual-org/*\" }").Unmet(Verified(SlsaPredicate())));
        Assert.Contains("matches none", Parse("{ sourceRepository: https://github.com/acme/other }").Unmet(Verified(SlsaPredicate())), StringComparison.Ordinal);
        Assert.Contains("matches none", Parse("{ sourceRef: \"refs/tags/*\" }").Unmet(Verified(SlsaPredicate())), StringComparison.Ordinal);
        Assert.Contains("matches none", Parse("{ builderId: https://builder.example/x }").Unmet(Verified(SlsaPredicate())), StringComparison.Ordinal);
        Assert.Contains("SC1627", Parse("{ hostedRunners: true }").Unmet(Verified(SlsaPredicate(), runner: "self-hosted")), StringComparison.Ordinal);

        // A provenance naming another repository than its certificate fails any condition (SC1628), even a lenient one.
        Assert.Contains("SC1628", Parse("{ sourceRepository: \"*\" }").Unmet(Verified(SlsaPredicate("https://github.com/evil/app"))), StringComparison.Ordinal);

        // No verified content (a key-signed attestation without a log entry): never meets conditions.
        Assert.NotNull(Parse("{ hostedRunners: true }").Unmet(null));
    }

    [Fact]
    public void An_sbom_condition_needs_a_valid_document()
    {
        AttestationConditions sbom = Parse("{ sbom: true }", SbomDocument.CycloneDxPredicateType);
        var bom = new JsonObject { ["bomFormat"] = "CycloneDX", ["specVersion"] = "1.6", ["components"] = new JsonArray(new JsonObject { ["type"] = "library", ["name"] = "x" }) };
        Assert.Null(sbom.Unmet(Verified(bom, SbomDocument.CycloneDxPredicateType)));
        Assert.Contains("SC1631", sbom.Unmet(Verified(new JsonObject { ["bomFormat"] = "CycloneDX" }, SbomDocument.CycloneDxPredicateType)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_without_verified_content_fails_the_conditions_closed_SC5131()
    {
        Evidence.Attest(App.Digest, Provenance, Ci);
        PolicyVerdict plain = await EvaluateAsync(PolicyText($"    attestations: [{{ predicateType: \"{Provenance}\", authorities: [ci] }}]\n"));
        PolicyVerdict conditioned = await EvaluateAsync(Conditions("{ sourceRepository: \"https://ci.example/org/*\" }"));

        Assert.True(plain.Allowed);
        AssertDenied(conditioned, "SC5131", 0);
        Assert.Contains(conditioned.Levels[0].Rejected, r => r.Code == "SC5131");
    }
}
