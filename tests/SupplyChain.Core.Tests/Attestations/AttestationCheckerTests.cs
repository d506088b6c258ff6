using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Attestations;

/// <summary>
/// Source and builder checks on verified attestations: every requirement against the certificate's Fulcio extensions
/// and the SLSA provenance, and the two against each other (VirtualSigstore leaves with CI extensions).
/// </summary>
public sealed class AttestationCheckerTests : IDisposable
{
    private const string Repo = "https://github.com/acme/app";
    private const string Ref = "refs/heads/main";
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Workflow = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";
    private static readonly byte[] Artifact = Encoding.UTF8.GetBytes("artifact");

    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();

    public void Dispose() => _sigstore.Dispose();

    private static Dictionary<string, string> CertificateFacts(string repo = Repo, string runner = "github-hosted") => new()
    {
        ["1.3.6.1.4.1.57264.1.9"] = Workflow,
        ["1.3.6.1.4.1.57264.1.11"] = runner,
        [FulcioOids.SourceRepositoryUri] = repo,
        ["1.3.6.1.4.1.57264.1.13"] = Commit,
        ["1.3.6.1.4.1.57264.1.14"] = Ref,
    };

    private static JsonObject Provenance(string repo = Repo, string builder = Workflow, string runner = "github-hosted") => new()
    {
        ["buildDefinition"] = new JsonObject
        {
            ["buildType"] = SlsaProvenance.GitHubActionsWorkflowBuildType,
            ["externalParameters"] = new JsonObject(),
            ["internalParameters"] = new JsonObject { ["github"] = new JsonObject { ["runner_environment"] = runner } },
            ["resolvedDependencies"] = new JsonArray(new JsonObject { ["uri"] = $"git+{repo}@{Ref}", ["digest"] = new JsonObject { ["gitCommit"] = Commit } }),
        },
        ["runDetails"] = new JsonObject { ["builder"] = new JsonObject { ["id"] = builder } },
    };

    private VerificationResult Verify(JsonObject predicate, Dictionary<string, string> extensions, string predicateType = SlsaProvenance.PredicateTypeV1)
    {
        var statement = new JsonObject
        {
            ["_type"] = InTotoStatement.StatementV1,
            ["subject"] = new JsonArray(new JsonObject { ["name"] = "a", ["digest"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Artifact)) } }),
            ["predicateType"] = predicateType,
            ["predicate"] = predicate,
        };
        byte[] bundle = _sigstore.SignDsse(SupplyChain.Core.Attestations.Dsse.InTotoPayloadType, Encoding.UTF8.GetBytes(statement.ToJsonString()), new SigningOptions { Leaf = new LeafOptions { ExtraExtensions = extensions } });
        var verifier = new SigstoreVerifier(TrustedRoot.Parse(_sigstore.TrustedRootBytes));
        return verifier.Verify(SigstoreBundle.Parse(bundle), SupplyChain.Core.Verification.Artifact.FromBytes(Artifact), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer)));
    }

    private static void AssertFails(string code, VerificationResult result, AttestationRequirements requirements) =>
        ErrorAssert.AssertCode(code, () => AttestationChecker.Enforce(result, requirements));

    [Fact]
    public void Every_requirement_passes_when_certificate_and_provenance_say_it()
    {
        VerificationResult result = Verify(Provenance(), CertificateFacts());
        SlsaProvenance? provenance = AttestationChecker.Enforce(result, new AttestationRequirements
        {
            PredicateType = SlsaProvenance.PredicateTypeV1,
            SourceRepository = "github.com/acme/app",
            SourceRef = Ref,
            SourceDigest = Commit.ToUpperInvariant(),
            SignerWorkflow = "github.com/acme/app/.github/workflows/release.yml",
            BuilderId = "https://github.com/acme/app/.github/workflows/release.yml",
            DenySelfHostedRunners = true,
        });
        Assert.Equal(Repo, provenance!.SourceRepository);
        Assert.Equal(Commit, provenance.SourceDigest);
        Assert.Equal("github-hosted", provenance.RunnerEnvironment);
    }

    [Theory]
    [InlineData("type", "SC1621")]
    [InlineData("repo", "SC1622")]
    [InlineData("ref", "SC1623")]
    [InlineData("digest", "SC1624")]
    [InlineData("workflow", "SC1625")]
    [InlineData("workflow-ref", "SC1625")]
    [InlineData("builder", "SC1626")]
    public void Each_wrong_requirement_fails_with_its_code(string which, string code)
    {
        VerificationResult result = Verify(Provenance(), CertificateFacts());
        AttestationRequirements requirements = which switch
        {
            "type" => new() { PredicateType = "https://cyclonedx.org/bom" },
            "repo" => new() { SourceRepository = "https://github.com/acme/other" },
            "ref" => new() { SourceRef = "refs/heads/dev" },
            "digest" => new() { SourceDigest = new string('f', 40) },
            "workflow" => new() { SignerWorkflow = "github.com/acme/app/.github/workflows/other.yml" },
            "workflow-ref" => new() { SignerWorkflow = "github.com/acme/app/.github/workflows/release.yml@refs/heads/dev" },
            _ => new() { BuilderId = "https://github.com/acme/app/.github/workflows/other.yml" },
        };
        AssertFails(code, result, requirements);
    }

    [Fact]
    public void A_provenance_naming_another_repository_than_its_certificate_is_SC1628()
    {
        // What a forger with a CI certificate for acme/app does: sign a provenance claiming evil/app was built.
        VerificationResult result = Verify(Provenance(repo: "https://github.com/evil/app"), CertificateFacts());
        AssertFails("SC1628", result, new AttestationRequirements());
    }

    [Fact]
    public void A_builder_that_is_not_the_signing_workflow_is_SC1628()
    {
        VerificationResult result = Verify(Provenance(builder: "https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main"), CertificateFacts());
        AssertFails("SC1628", result, new AttestationRequirements());
    }

    [Fact]
    public void Self_hosted_runners_are_denied_on_the_certificate_and_on_the_provenance()
    {
        AssertFails("SC1627", Verify(Provenance(runner: "self-hosted"), CertificateFacts(runner: "self-hosted")), new() { DenySelfHostedRunners = true });

        // The certificate says hosted, the provenance self-hosted: the two disagree first.
        AssertFails("SC1628", Verify(Provenance(runner: "self-hosted"), CertificateFacts()), new() { DenySelfHostedRunners = true });
    }

    [Fact]
    public void A_certificate_without_CI_extensions_fails_source_requirements_closed()
    {
        VerificationResult result = Verify(Provenance(), []);
        AssertFails("SC1622", result, new() { SourceRepository = Repo });
        AssertFails("SC1627", result, new() { DenySelfHostedRunners = true });

        // Without requirements there is nothing to compare: the provenance alone passes.
        Assert.NotNull(AttestationChecker.Enforce(result, new AttestationRequirements()));
    }

    [Fact]
    public void A_non_provenance_statement_is_checked_on_the_certificate_and_fails_a_builder_requirement()
    {
        VerificationResult result = Verify(new JsonObject { ["anything"] = "x" }, CertificateFacts(), "https://example.com/custom");
        Assert.Null(AttestationChecker.Enforce(result, new() { SourceRepository = Repo, SourceRef = Ref }));
        AssertFails("SC1626", result, new() { BuilderId = Workflow });
    }

    [Fact]
    public void A_malformed_provenance_is_SC1630_and_empty_requirements_SC1629()
    {
        AssertFails("SC1630", Verify(new JsonObject { ["runDetails"] = new JsonObject() }, CertificateFacts()), new AttestationRequirements());
        AssertFails("SC1629", Verify(Provenance(), CertificateFacts()), new() { SourceRef = " " });
    }

    [Fact]
    public void A_message_signature_has_no_statement_SC1620()
    {
        byte[] bundle = _sigstore.SignMessage(Artifact);
        VerificationResult result = new SigstoreVerifier(TrustedRoot.Parse(_sigstore.TrustedRootBytes)).Verify(SigstoreBundle.Parse(bundle), SupplyChain.Core.Verification.Artifact.FromBytes(Artifact), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer)));
        AssertFails("SC1620", result, new() { SourceRepository = Repo });
    }

    [Theory]
    [InlineData("git+https://github.com/o/r@refs/heads/main", "https://github.com/o/r", "refs/heads/main")]
    [InlineData("git+ssh://git@github.com/o/r@refs/tags/v1", "ssh://git@github.com/o/r", "refs/tags/v1")]
    [InlineData("git+https://github.com/o/r", "https://github.com/o/r", null)]
    [InlineData("https://github.com/o/r@refs/heads/main", null, null)]
    public void Git_dependency_uris_split_into_repository_and_ref(string uri, string? repository, string? gitRef)
    {
        Assert.Equal((repository, gitRef), SlsaProvenance.SplitGitUri(uri));
    }

    [Fact]
    public void The_real_npm_provenance_of_sigstore_2_2_0_passes_its_source_checks()
    {
        // testdata/npm-provenance: npm's provenance for sigstore@2.2.0 (public-good Sigstore, GitHub Actions).
        byte[] tarball = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "npm-provenance", "sigstore-2.2.0.tgz"));
        SigstoreBundle bundle = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(TestPaths.TestData, "npm-provenance", "sigstore-2.2.0.sigstore.json")));
        VerificationResult result = new SigstoreVerifier(TrustedRoot.Production).Verify(bundle, SupplyChain.Core.Verification.Artifact.FromBytes(tarball), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(
            "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main", "https://token.actions.githubusercontent.com")));
        SlsaProvenance? provenance = AttestationChecker.Enforce(result, new AttestationRequirements
        {
            PredicateType = SlsaProvenance.PredicateTypeV1,
            SourceRepository = "https://github.com/sigstore/sigstore-js",
            SourceRef = "refs/heads/main",
            SourceDigest = "d9093d4b3b99d9ee446633ac7074e43cea78c727",
            SignerWorkflow = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml",
            DenySelfHostedRunners = true,
        });
        Assert.Equal(SlsaProvenance.SlsaGitHubActionsWorkflowBuildType, provenance!.BuildType);
        AssertFails("SC1622", result, new() { SourceRepository = "https://github.com/sigstore/sigstore-go" });
        AssertFails("SC1623", result, new() { SourceRef = "refs/tags/v2.2.0" });
    }
}
