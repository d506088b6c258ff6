using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Certificates;

/// <summary>Leaf certificates of the Sigstore conformance bundles against real trusted roots.</summary>
public class ConformanceCertificateTests
{
    private const string BeaconIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

    private static string CaseFolder(string name) => Path.Combine(TestPaths.ConformanceBundleVerify!, name);

    private static SigstoreBundle Bundle(string name) => SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(CaseFolder(name), "bundle.sigstore.json")));

    private static X509Certificate2 Leaf(SigstoreBundle bundle) => X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial.LeafCertificate.Span);

    private static TrustedRoot CaseRoot(string name) => TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(CaseFolder(name), "trusted_root.json")));

    private static DateTimeOffset IntegratedTime(SigstoreBundle bundle) => DateTimeOffset.FromUnixTimeSeconds(bundle.VerificationMaterial.TlogEntries[0].IntegratedTime);

    [SharedFixtureTheory]
    [InlineData("happy-path-v0.1")]
    [InlineData("happy-path-v0.2")]
    [InlineData("happy-path-v0.3")]
    public void Happy_path_leaves_chain_to_production_and_carry_a_valid_SCT(string name)
    {
        SigstoreBundle bundle = Bundle(name);
        X509Certificate2 leaf = Leaf(bundle);
        var verifier = new FulcioChainVerifier(TrustedRoot.Production);
        ChainResult chain = verifier.Verify(leaf, IntegratedTime(bundle));
        Assert.Equal("https://fulcio.sigstore.dev", chain.Authority.Uri);
        SctVerifier.Verify(leaf, chain.Issuer, TrustedRoot.Production);
    }

    [SharedFixtureFact]
    public void An_SCT_with_extensions_from_a_Static_CT_log_verifies()
    {
        const string name = "bundle-with-sct-with-extensions";
        X509Certificate2 leaf = Leaf(Bundle(name));
        TrustedRoot root = CaseRoot(name);
        ChainResult chain = new FulcioChainVerifier(root).Verify(leaf, new DateTimeOffset(leaf.NotBefore.ToUniversalTime()));
        SctVerifier.Verify(leaf, chain.Issuer, root);
    }

    [SharedFixtureFact]
    public void An_SCT_checked_against_only_staging_CT_logs_is_SC1306()
    {
        const string name = "invalid-ct-key_fail";
        SigstoreBundle bundle = Bundle(name);
        X509Certificate2 leaf = Leaf(bundle);
        TrustedRoot root = CaseRoot(name);
        ChainResult chain = new FulcioChainVerifier(root).Verify(leaf, IntegratedTime(bundle));
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => SctVerifier.Verify(leaf, chain.Issuer, root));
        Assert.Equal(CoreErrors.SctInvalid.Code, ex.Code);
    }

    [SharedFixtureFact]
    public void A_certificate_issued_outside_its_validity_fails_at_the_integrated_time()
    {
        // The leaf is valid in 2030; the log entry says 2023-02-01 (inside the CA's validFor, which starts in 2023).
        const string name = "intoto-expired-certificate_fail";
        SigstoreBundle bundle = Bundle(name);
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => new FulcioChainVerifier(CaseRoot(name)).Verify(Leaf(bundle), IntegratedTime(bundle)));
        Assert.Equal(CoreErrors.CertificateNotValidAtTime.Code, ex.Code);
    }

    [SharedFixtureFact]
    public void Every_CA_of_every_conformance_and_embedded_trusted_root_is_usable()
    {
        var roots = Directory.EnumerateFiles(TestPaths.ConformanceBundleVerify!, "trusted_root.json", SearchOption.AllDirectories)
            .Select(path => (path, TryParse(path)))
            .Where(r => r.Item2 is not null)
            .Select(r => (r.path, r.Item2!))
            .Append(("production", TrustedRoot.Production))
            .Append(("staging", TrustedRoot.Staging));
        foreach ((string path, TrustedRoot root) in roots)
        {
            Assert.True(!new FulcioChainVerifier(root).UnusableAuthorities.Any(), path + ": " + string.Join("; ", new FulcioChainVerifier(root).UnusableAuthorities));
        }
    }

    [SharedFixtureFact]
    public void The_happy_path_identity_is_read_from_the_leaf()
    {
        FulcioCertificate identity = FulcioCertificate.Parse(Leaf(Bundle("happy-path-v0.3")));
        Assert.Equal(BeaconIdentity, identity.SubjectAlternativeName);
        Assert.Equal("https://token.actions.githubusercontent.com", identity.Issuer);
        Assert.Equal("https://token.actions.githubusercontent.com", identity.Extensions["issuer"]);
        Assert.Equal("sigstore-conformance/extremely-dangerous-public-oidc-beacon", identity.GitHubWorkflowRepository);
        Assert.Equal("refs/heads/main", identity.GitHubWorkflowRef);
        Assert.Equal("https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon", identity.SourceRepositoryUri);
        Assert.Equal("refs/heads/main", identity.SourceRepositoryRef);
        Assert.Equal(BeaconIdentity, identity.BuildSignerUri);
        Assert.Equal("github-hosted", identity.RunnerEnvironment);
        Assert.Equal(identity.SourceRepositoryDigest, identity.GitHubWorkflowSha);
        Assert.Equal(identity.SourceRepositoryUri, identity.Extensions["sourceRepositoryURI"]);
    }

    private static TrustedRoot? TryParse(string path)
    {
        try
        {
            return TrustedRoot.Parse(File.ReadAllBytes(path));
        }
        catch (SupplyChainException)
        {
            return null; // the _fail cases about malformed roots
        }
    }
}
