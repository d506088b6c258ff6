using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Attestations;

/// <summary>
/// A real bundle from GitHub's Sigstore instance (RFC 3161 timestamp, no log entry, no SCT; testdata/github-instance,
/// from sigstore-go's examples): it verifies against GitHub's trusted root only with the signed-timestamp thresholds,
/// which the default never grants.
/// </summary>
public sealed class GitHubInstanceTests
{
    private const string Sha512 = "76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751";

    private static SigstoreBundle Bundle => SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(TestPaths.TestData, "github-instance", "bundle-staging.sigstore.json")));

    private static TrustedRoot GitHubRoot => TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(TestPaths.TestData, "github-instance", "trusted_root.staging.json")));

    private static Artifact Tarball => Artifact.TryParseDigest("sha512:" + Sha512, out Artifact? a) ? a : throw new InvalidOperationException();

    private static VerificationPolicy Policy => VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact("cody@soyland.com", "https://github.com/login/oauth"));

    [Fact]
    public void The_GitHub_bundle_verifies_with_signed_timestamps_instead_of_a_log()
    {
        VerificationResult result = new SigstoreVerifier(GitHubRoot, VerifierOptions.SignedTimestampsInsteadOfLog).Verify(Bundle, Tarball, Policy);
        Assert.Empty(result.LogEntries);
        VerifiedTime time = Assert.Single(result.VerifiedTimes);
        Assert.Equal("rfc3161", time.Kind);
        Assert.Equal(new DateTimeOffset(2023, 5, 16, 19, 58, 49, TimeSpan.Zero), time.Time);
    }

    [Fact]
    public void The_default_thresholds_refuse_it_against_the_same_root_SC1212()
    {
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => new SigstoreVerifier(GitHubRoot).Verify(Bundle, Tarball, Policy));
        Assert.Equal("SC1212", ex.Code);
    }

    [Fact]
    public void The_public_good_root_refuses_it_even_with_the_GitHub_thresholds_SC1403()
    {
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => new SigstoreVerifier(TrustedRoot.Production, VerifierOptions.SignedTimestampsInsteadOfLog).Verify(Bundle, Tarball, Policy));
        Assert.Equal("SC1403", ex.Code); // GitHub's TSA is not public-good's: the first step fails
    }

    [Fact]
    public void Dropping_the_log_or_SCT_threshold_without_a_timestamp_threshold_is_SC1609()
    {
        Assert.Equal("SC1609", Assert.ThrowsAny<SupplyChainException>(new VerifierOptions { TransparencyLogThreshold = 0 }.Validate).Code);
        Assert.Equal("SC1609", Assert.ThrowsAny<SupplyChainException>(new VerifierOptions { CertificateTransparencyThreshold = 0 }.Validate).Code);
        Assert.Equal("SC1609", Assert.ThrowsAny<SupplyChainException>(new VerifierOptions { CertificateTransparencyThreshold = 2, SignedTimestampThreshold = 1 }.Validate).Code);
        Assert.Equal(1, VerifierOptions.Default.TransparencyLogThreshold);
        Assert.Equal(1, VerifierOptions.Default.CertificateTransparencyThreshold);
    }
}
