using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Testing;

namespace SupplyChain.Core.Tests.Trust;

public class TrustedRootTests
{
    private static JsonObject ProductionJson() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "src", "SupplyChain.Core", "TrustRoots", "trusted_root.production.json")))!.AsObject();

    [Fact]
    public void The_embedded_production_root_lists_rekor_fulcio_ct_and_tsa()
    {
        TrustedRoot root = TrustedRoot.Production;
        Assert.Contains(root.TransparencyLogs, l => l.BaseUrl == "https://rekor.sigstore.dev" && l.PublicKey.Algorithm == KeyAlgorithm.Ecdsa);
        Assert.Contains(root.TransparencyLogs, l => l.PublicKey.Algorithm == KeyAlgorithm.Ed25519);
        Assert.Contains(root.CertificateAuthorities, c => c.Uri == "https://fulcio.sigstore.dev" && c.ValidFor.End is null);
        Assert.NotEmpty(root.CertificateTransparencyLogs);
        Assert.NotEmpty(root.TimestampAuthorities);
    }

    [Fact]
    public void The_embedded_staging_root_parses_including_its_pkcs1_rsa_ct_key()
    {
        TrustedRoot root = TrustedRoot.Staging;
        Assert.Contains(root.CertificateTransparencyLogs, l => l.PublicKey.Algorithm == KeyAlgorithm.Rsa);
        Assert.Contains(root.TransparencyLogs, l => l.BaseUrl.Contains("sigstage", StringComparison.Ordinal));
    }

    [Fact]
    public void Validity_windows_are_closed_intervals()
    {
        var start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2023, 7, 12, 15, 56, 36, TimeSpan.Zero);
        var range = new TimeRange(start, end);
        Assert.True(range.Contains(start));
        Assert.True(range.Contains(end));
        Assert.False(range.Contains(end.AddTicks(1)));
        Assert.False(range.Contains(start.AddTicks(-1)));
        Assert.True(new TimeRange(start, null).Contains(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Null_ends_and_fractional_seconds_are_tolerated()
    {
        JsonObject root = ProductionJson();
        root["tlogs"]![0]!["publicKey"]!["validFor"] = new JsonObject { ["start"] = "2021-01-12T11:53:27.123456Z", ["end"] = null };
        TrustedRoot parsed = TrustedRoot.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()));
        TimeRange range = parsed.TransparencyLogs[0].ValidFor;
        Assert.Null(range.End);
        Assert.Equal(123, range.Start.Millisecond);
    }

    [Theory]
    [InlineData("tlogs")]
    [InlineData("ctlogs")]
    public void A_log_key_without_a_start_invalidates_the_root_SC1103(string list)
    {
        JsonObject root = ProductionJson();
        root[list]![0]!["publicKey"]!["validFor"] = new JsonObject();
        AssertCode("SC1103", root);
    }

    [Fact]
    public void A_log_key_without_validFor_invalidates_the_root_SC1103()
    {
        JsonObject root = ProductionJson();
        root["tlogs"]![0]!["publicKey"]!.AsObject().Remove("validFor");
        AssertCode("SC1103", root);
    }

    [Theory]
    [InlineData("certificateAuthorities")]
    [InlineData("timestampAuthorities")]
    public void An_authority_without_a_start_invalidates_the_root_SC1103(string list)
    {
        JsonObject root = ProductionJson();
        root[list]![0]!["validFor"] = new JsonObject { ["end"] = "2030-01-01T00:00:00Z" };
        AssertCode("SC1103", root);
    }

    [Fact]
    public void Unknown_media_type_fails_SC1102()
    {
        JsonObject root = ProductionJson();
        root["mediaType"] = "application/vnd.dev.sigstore.trustedroot+json;version=9";
        AssertCode("SC1102", root);
    }

    [Fact]
    public void Unsupported_key_details_fail_SC1104()
    {
        JsonObject root = ProductionJson();
        root["tlogs"]![0]!["publicKey"]!["keyDetails"] = "LMS_SHA256";
        AssertCode("SC1104", root);
    }

    [Fact]
    public void A_key_that_does_not_parse_fails_SC1104()
    {
        JsonObject root = ProductionJson();
        root["tlogs"]![0]!["publicKey"]!["rawBytes"] = Convert.ToBase64String(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 });
        AssertCode("SC1104", root);
    }

    [Fact]
    public void A_certificate_that_does_not_parse_fails_SC1105()
    {
        JsonObject root = ProductionJson();
        root["certificateAuthorities"]![0]!["certChain"]!["certificates"]![0]!["rawBytes"] = Convert.ToBase64String(new byte[] { 0x30, 0x00 });
        AssertCode("SC1105", root);
    }

    [Fact]
    public void An_empty_ca_chain_fails_SC1105()
    {
        JsonObject root = ProductionJson();
        root["certificateAuthorities"]![0]!["certChain"]!["certificates"] = new JsonArray();
        AssertCode("SC1105", root);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("[]")]
    public void Malformed_documents_fail_SC1101(string json)
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => TrustedRoot.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("SC1101", ex.Code);
        Assert.IsType<TrustRootException>(ex);
    }

    [Fact]
    public void Oversized_documents_fail_SC1108()
    {
        var ex = Assert.ThrowsAny<SupplyChainException>(() => TrustedRoot.Parse(new byte[(4 * 1024 * 1024) + 1]));
        Assert.Equal("SC1108", ex.Code);
    }

    [SharedFixtureFact]
    public void Every_conformance_trusted_root_parses_except_the_one_without_a_start()
    {
        string dir = TestPaths.ConformanceBundleVerify!;
        int parsed = 0;
        foreach (string file in Directory.GetFiles(dir, "trusted_root.json", SearchOption.AllDirectories))
        {
            byte[] bytes = File.ReadAllBytes(file);
            if (file.Contains("trust-root-tlog-missing-validity-start_fail", StringComparison.Ordinal))
            {
                var ex = Assert.ThrowsAny<SupplyChainException>(() => TrustedRoot.Parse(bytes));
                Assert.Equal("SC1103", ex.Code);
            }
            else
            {
                Assert.NotEmpty(TrustedRoot.Parse(bytes).TransparencyLogs);
                parsed++;
            }
        }

        Assert.True(parsed >= 30, $"only {parsed} trusted roots found");
    }

    private static void AssertCode(string code, JsonObject root) =>
        ErrorAssert.AssertCode(code, () => TrustedRoot.Parse(Encoding.UTF8.GetBytes(root.ToJsonString())));
}
