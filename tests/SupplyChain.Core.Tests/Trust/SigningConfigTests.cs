using SupplyChain.Testing;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Tests.Trust;

public class SigningConfigTests
{
    private const string Production = """
        {
         "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
         "caUrls": [{"url": "https://fulcio.sigstore.dev", "majorApiVersion": 1, "validFor": {"start": "2022-04-13T20:06:15.000Z"}, "operator": "sigstore.dev"}],
         "oidcUrls": [{"url": "https://oauth2.sigstore.dev/auth", "majorApiVersion": 1, "validFor": {"start": "2022-04-13T20:06:15.000Z"}, "operator": "sigstore.dev"}],
         "rekorTlogUrls": [
          {"url": "https://log2025-1.rekor.sigstore.dev", "majorApiVersion": 2, "validFor": {"start": "2026-01-01T00:00:00Z"}, "operator": "sigstore.dev"},
          {"url": "https://rekor.sigstore.dev", "majorApiVersion": 1, "validFor": {"start": "2021-01-12T11:53:27.000Z"}, "operator": "sigstore.dev"}],
         "tsaUrls": [{"url": "https://timestamp.sigstore.dev/api/v1/timestamp", "majorApiVersion": 1, "validFor": {"start": "2025-07-04T00:00:00Z", "end": null}, "operator": "sigstore.dev"}],
         "rekorTlogConfig": {"selector": "ANY"},
         "tsaConfig": {"selector": "EXACT", "count": 1}
        }
        """;

    [Fact]
    public void The_production_signing_config_parses()
    {
        SigningConfig config = SigningConfig.Parse(Encoding.UTF8.GetBytes(Production));
        Assert.Equal(2, config.TransparencyLogs.Count);
        Assert.Equal(ServiceSelector.Any, config.TransparencyLogSelection.Selector);
        Assert.Equal(ServiceSelector.Exact, config.TimestampAuthoritySelection.Selector);
        Assert.Equal(1, config.TimestampAuthoritySelection.Count);
        Assert.Null(config.TimestampAuthorities[0].ValidFor.End);
    }

    [Fact]
    public void Services_are_selected_by_validity_and_newest_api_first()
    {
        SigningConfig config = SigningConfig.Parse(Encoding.UTF8.GetBytes(Production));
        var before2026 = SigningConfig.ValidAt(config.TransparencyLogs, new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), 1, 2);
        Assert.Equal("https://rekor.sigstore.dev/", Assert.Single(before2026).Url.ToString());
        var after = SigningConfig.ValidAt(config.TransparencyLogs, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), 1, 2);
        Assert.Equal(2, after[0].MajorApiVersion);
        var v1Only = SigningConfig.ValidAt(config.TransparencyLogs, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), 1);
        Assert.Equal(1, Assert.Single(v1Only).MajorApiVersion);
    }

    [Theory]
    [InlineData("mediaType", "application/vnd.dev.sigstore.signingconfig+json", "SC1107")]
    [InlineData("rekorTlogConfig", "{\"selector\":\"SOME\"}", "SC1106")]
    [InlineData("tsaConfig", "{\"selector\":\"EXACT\"}", "SC1106")]
    [InlineData("caUrls", "[{\"url\":\"ftp://x\",\"majorApiVersion\":1,\"validFor\":{\"start\":\"2022-01-01T00:00:00Z\"}}]", "SC1106")]
    [InlineData("caUrls", "[{\"url\":\"https://x\",\"majorApiVersion\":1,\"validFor\":{}}]", "SC1106")]
    [InlineData("caUrls", "[{\"url\":\"https://x\",\"validFor\":{\"start\":\"2022-01-01T00:00:00Z\"}}]", "SC1106")]
    public void Invalid_configs_fail_with_codes(string field, string json, string code)
    {
        JsonObject config = JsonNode.Parse(Production)!.AsObject();
        config[field] = field == "mediaType" ? JsonValue.Create(json) : JsonNode.Parse(json);
        var ex = Assert.ThrowsAny<SupplyChainException>(() => SigningConfig.Parse(Encoding.UTF8.GetBytes(config.ToJsonString())));
        Assert.Equal(code, ex.Code);
    }

    [SharedFixtureFact]
    public void The_signing_configs_of_the_tuf_repositories_parse()
    {
        string dir = Path.Combine(SupplyChain.Testing.TestPaths.Shared!, "tuf");
        string[] files = Directory.GetFiles(dir, "*signing_config*.v0.2.json", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            Assert.NotEmpty(SigningConfig.Parse(File.ReadAllBytes(file)).CertificateAuthorities);
        }
    }
}
