using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Tests.Verification;

public class PolicyTests
{
    [Theory]
    [InlineData("https://github.com/org/repo/.*", "https://github.com/org/repo/.github/workflows/x.yml@refs/heads/main", true)]
    [InlineData("https://github.com/org/repo/.*", "https://evil.example/https://github.com/org/repo/x", false)]
    [InlineData("org/repo", "https://github.com/org/repo/x", false)]
    [InlineData("a|b", "a", true)]
    [InlineData("a|b", "ab", false)]
    public void Regex_matchers_are_anchored_at_both_ends(string pattern, string value, bool expected) =>
        Assert.Equal(expected, StringMatcher.Regex(pattern).Matches(value));

    [Fact]
    public void Exact_matchers_are_ordinal_and_whole()
    {
        StringMatcher m = StringMatcher.Exact("https://accounts.google.com");
        Assert.True(m.Matches("https://accounts.google.com"));
        Assert.False(m.Matches("https://accounts.google.com/"));
        Assert.False(m.Matches("HTTPS://accounts.google.com"));
        Assert.False(m.Matches(null));
    }

    [Fact]
    public void Invalid_regexes_fail_SC1605()
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => StringMatcher.Regex("(unclosed"));
        Assert.Equal("SC1605", ex.Code);
    }

    [Fact]
    public void Empty_policies_are_errors_never_passes_SC1604()
    {
        Assert.Equal("SC1604", Assert.ThrowsAny<SupplyChainException>(() => VerificationPolicy.ForCertificateIdentities()).Code);
        Assert.Equal("SC1604", Assert.ThrowsAny<SupplyChainException>(() => StringMatcher.Exact(string.Empty)).Code);
        Assert.Equal("SC1604", Assert.ThrowsAny<SupplyChainException>(() => StringMatcher.Regex(string.Empty)).Code);
        Assert.Equal("SC1604", Assert.ThrowsAny<SupplyChainException>(() => VerificationPolicy.ForPublicKey(null!)).Code);
    }

    [Fact]
    public void Only_the_unsafe_policy_skips_the_identity_check()
    {
        Assert.True(VerificationPolicy.WithoutIdentityUnsafe().SkipsIdentityCheck);
        Assert.False(VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact("a@b.c", "https://issuer")).SkipsIdentityCheck);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(1, -1, 1)]
    [InlineData(1, 0, 0)]
    public void Invalid_thresholds_fail_SC1609(int tlog, int tsa, int observer)
    {
        var options = new VerifierOptions { TransparencyLogThreshold = tlog, SignedTimestampThreshold = tsa, ObserverTimestampThreshold = observer };
        Assert.Equal("SC1609", Assert.ThrowsAny<SupplyChainException>(options.Validate).Code);
    }

    [Theory]
    [InlineData("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", true)]
    [InlineData("sha256:A0CFC71271D6E278E57CD332FF957C3F7043FDDA354C4CBB190A30D56EFA01BF", true)]
    [InlineData("sha256:a0cf", false)]
    [InlineData("sha256:zz", false)]
    [InlineData("md5:a0cfc71271d6e278e57cd332ff957c3f", false)]
    [InlineData("a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", false)]
    [InlineData("sha256:", false)]
    public void Digest_arguments_parse_strictly(string text, bool ok)
    {
        Assert.Equal(ok, Artifact.TryParseDigest(text, out Artifact? artifact));
        Assert.Equal(ok, artifact?.IsDigestOnly ?? false);
    }

    [Fact]
    public void File_artifacts_are_hashed_as_streams()
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] data = new byte[300_000];
            new Random(7).NextBytes(data);
            File.WriteAllBytes(path, data);
            Assert.Equal(SHA256.HashData(data), Artifact.FromFile(path).GetDigest(HashAlgorithmName.SHA256));
            Assert.Equal(SHA512.HashData(data), Artifact.FromFile(path).GetDigest(HashAlgorithmName.SHA512));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_artifact_fails_SC1510()
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => Artifact.FromFile("/nonexistent/file").GetDigest(HashAlgorithmName.SHA256));
        Assert.Equal("SC1510", ex.Code);
    }

    [Fact]
    public void The_identity_step_alone_matches_a_verified_signer_with_the_most_specific_code()
    {
        var signer = new SignerInfo("release@example.com", "https://issuer.example", new Dictionary<string, string> { ["sourceRepositoryURI"] = "https://github.com/org/repo" }, "00");
        VerificationPolicy exact = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact("release@example.com", "https://issuer.example"));
        VerificationPolicy otherIssuer = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact("release@example.com", "https://other.example"));
        VerificationPolicy otherSan = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact("someone@example.com", "https://issuer.example"));
        VerificationPolicy extension = VerificationPolicy.ForCertificateIdentities(new CertificateIdentity(StringMatcher.Exact("release@example.com"), StringMatcher.Exact("https://issuer.example"), new Dictionary<string, string> { ["sourceRepositoryURI"] = "https://github.com/evil/repo" }));

        exact.EnforceIdentity(signer);
        VerificationPolicy.WithoutIdentityUnsafe().EnforceIdentity(signer);
        Assert.Equal("SC1602", Assert.ThrowsAny<SupplyChainException>(() => otherIssuer.EnforceIdentity(signer)).Code);
        Assert.Equal("SC1601", Assert.ThrowsAny<SupplyChainException>(() => otherSan.EnforceIdentity(signer)).Code);
        Assert.Equal("SC1603", Assert.ThrowsAny<SupplyChainException>(() => extension.EnforceIdentity(signer)).Code);
    }
}
