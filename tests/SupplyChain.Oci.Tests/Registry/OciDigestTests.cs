using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Tests.Registry;

public class OciDigestTests
{
    [Fact]
    public void The_referrers_tag_is_alg_dash_hex_truncated_to_64_characters()
    {
        string sha256 = "sha256:" + new string('a', 64);
        Assert.Equal("sha256-" + new string('a', 64), OciDigest.ReferrersTag(sha256));
        string sha512 = "sha512:" + new string('b', 64) + new string('c', 64);
        Assert.Equal("sha512-" + new string('b', 64), OciDigest.ReferrersTag(sha512));
        Assert.True(ImageReference.IsTag(OciDigest.ReferrersTag(sha512)));
    }

    [Theory]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", false)]
    [InlineData("sha256:e3b0", false)]
    [InlineData("sha384:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_registered_algorithms_with_lowercase_hex_of_the_right_length_are_valid(string? digest, bool valid) =>
        Assert.Equal(valid, OciDigest.IsValid(digest));

    [Fact]
    public void Sha512_content_is_checked_with_sha512() =>
        Assert.True(OciDigest.Matches("sha512:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData("x"u8)), "x"u8));
}
