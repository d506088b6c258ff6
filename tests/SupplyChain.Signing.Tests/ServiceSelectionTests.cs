using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;
using SupplyChain.Signing.Services;
using SupplyChain.Signing.Tests.Fakes;

namespace SupplyChain.Signing.Tests;

public class ServiceSelectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Service(string url, int version, string start = "2025-01-01T00:00:00Z", string? end = null, string? op = null) =>
        $"{{\"url\":\"{url}\",\"majorApiVersion\":{version},\"validFor\":{{\"start\":\"{start}\"{(end is null ? string.Empty : $",\"end\":\"{end}\"")}}}{(op is null ? string.Empty : $",\"operator\":\"{op}\"")}}}";

    private static SigningConfig Config(string rekor, string rekorConfig, string tsa = "", string tsaConfig = "{\"selector\":\"ANY\"}", string? ca = null) =>
        SigningConfig.Parse(Encoding.UTF8.GetBytes(
            "{\"mediaType\":\"application/vnd.dev.sigstore.signingconfig.v0.2+json\","
            + $"\"caUrls\":[{ca ?? Service("https://fulcio.example", 1)}],\"oidcUrls\":[],"
            + $"\"rekorTlogUrls\":[{rekor}],\"tsaUrls\":[{tsa}],\"rekorTlogConfig\":{rekorConfig},\"tsaConfig\":{tsaConfig}}}"));

    [Fact]
    public void Any_picks_the_highest_supported_version_valid_now()
    {
        SigningConfig config = Config(
            Service("https://rekor.example", 1, op: "a") + "," + Service("https://log2026.example", 2, op: "a") + "," + Service("https://log2099.example", 2, start: "2099-01-01T00:00:00Z", op: "a") + "," + Service("https://old.example", 2, end: "2025-02-01T00:00:00Z", op: "a"),
            "{\"selector\":\"ANY\"}");

        IReadOnlyList<SigningService> picked = ServiceSelection.Select("Rekor", config.TransparencyLogs, config.TransparencyLogSelection, Now, [2, 1], required: true);
        Assert.Equal(["https://log2026.example/"], picked.Select(s => s.Url.AbsoluteUri));

        picked = ServiceSelection.Select("Rekor", config.TransparencyLogs, config.TransparencyLogSelection, Now, [1], required: true);
        Assert.Equal(["https://rekor.example/"], picked.Select(s => s.Url.AbsoluteUri));
    }

    [Fact]
    public void All_and_exact_take_one_service_per_operator()
    {
        string rekor = Service("https://a1.example", 1, op: "a") + "," + Service("https://a2.example", 2, op: "a") + "," + Service("https://b.example", 1, op: "b") + "," + Service("https://c.example", 1, op: "c");
        SigningConfig all = Config(rekor, "{\"selector\":\"ALL\"}");
        Assert.Equal(3, ServiceSelection.Select("Rekor", all.TransparencyLogs, all.TransparencyLogSelection, Now, [2, 1], true).Count);
        Assert.Equal("https://a2.example/", ServiceSelection.Select("Rekor", all.TransparencyLogs, all.TransparencyLogSelection, Now, [2, 1], true)[0].Url.AbsoluteUri);

        SigningConfig exact = Config(rekor, "{\"selector\":\"EXACT\",\"count\":2}");
        Assert.Equal(2, ServiceSelection.Select("Rekor", exact.TransparencyLogs, exact.TransparencyLogSelection, Now, [2, 1], true).Count);

        SigningConfig tooMany = Config(rekor, "{\"selector\":\"EXACT\",\"count\":4}");
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ServiceSelection.Select("Rekor", tooMany.TransparencyLogs, tooMany.TransparencyLogSelection, Now, [2, 1], true));
        Assert.Equal("SC2212", ex.Code);
    }

    [Fact]
    public void Nothing_valid_now_is_SC2212_when_required_and_empty_otherwise()
    {
        SigningConfig config = Config(Service("https://rekor.example", 1, end: "2025-06-01T00:00:00Z"), "{\"selector\":\"ANY\"}");
        var ex = Assert.ThrowsAny<SupplyChainException>(() => ServiceSelection.Select("Rekor", config.TransparencyLogs, config.TransparencyLogSelection, Now, [1], true));
        Assert.Equal("SC2212", ex.Code);
        Assert.Empty(ServiceSelection.Select("TSA", config.TimestampAuthorities, config.TimestampAuthoritySelection, Now, [1], false));
    }

    [Fact]
    public async Task BundleSigner_uses_the_signing_config_and_prefers_rekor_v2_with_a_timestamp()
    {
        using var fake = new FakeSigstore();
        string start = fake.Clock.GetUtcNow().AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        string url = FakeSigstore.BaseUrl.AbsoluteUri.TrimEnd('/');
        SigningConfig config = Config(
            Service(url, 1, start) + "," + Service(url, 2, start),
            "{\"selector\":\"ANY\"}",
            tsa: Service(FakeSigstore.TsaUrl.AbsoluteUri, 1, start),
            ca: Service(url, 1, start));
        using var signer = new BundleSigner(new BundleSignerOptions
        {
            TrustedMaterial = fake.TrustedRoot,
            SigningConfig = config,
            Transport = fake,
            TimeProvider = fake.Clock,
        });
        byte[] artifact = "from config"u8.ToArray();
        IdentityToken token = fake.Token();

        byte[] bundle = (await signer.SignMessageAsync(new MemoryStream(artifact), fake.Signer, token)).ToJson();

        Assert.Equal(1, fake.Calls("/api/v2/log/entries"));
        Assert.Equal(0, fake.Calls("/api/v1/log/entries"));
        Assert.Equal(1, fake.Calls("/api/v1/timestamp"));
        Assert.Equal("0.0.2", (string?)JsonNode.Parse(bundle)!["verificationMaterial"]!["tlogEntries"]![0]!["kindVersion"]!["version"]);
        Assert.NotNull(new SigstoreVerifier(fake.TrustedRoot).Verify(SigstoreBundle.Parse(bundle), Artifact.FromBytes(artifact), VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(FakeSigstore.Identity, FakeSigstore.Issuer))));
    }
}
