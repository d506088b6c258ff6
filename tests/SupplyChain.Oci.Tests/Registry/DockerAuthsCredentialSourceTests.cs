using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>Pull secrets' Docker auths: each entry bound to its own registry, helpers ignored, malformed content coded without its text.</summary>
public sealed class DockerAuthsCredentialSourceTests
{
    private static string Auth(string pair) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));

    [Fact]
    public async Task Each_entry_answers_for_its_own_registry_in_every_spelling_and_no_other()
    {
        byte[] json = Encoding.UTF8.GetBytes($$$"""
            {"auths":{"https://Registry.Example:443/v2/":{"auth":"{{{Auth("alice:pw1")}}}"},
                      "https://index.docker.io/v1/":{"username":"bob","password":"pw2"}},
             "credHelpers":{"registry.example":"evil"},"credsStore":"evil"}
            """);
        DockerAuthsCredentialSource source = DockerAuthsCredentialSource.Parse(json);
        Assert.Equal("alice", (await source.GetCredentialAsync("registry.example"))!.Username);
        Assert.Equal("alice", (await source.GetCredentialAsync("REGISTRY.example:443"))!.Username);
        Assert.Equal("bob", (await source.GetCredentialAsync("docker.io"))!.Username);
        Assert.Null(await source.GetCredentialAsync("registry.example:5000"));
        Assert.Null(await source.GetCredentialAsync("other.example"));
        Assert.Equal(["docker.io", "registry.example"], source.Registries.Order());
    }

    [Fact]
    public async Task The_legacy_dockercfg_form_is_the_auths_map_alone()
    {
        DockerAuthsCredentialSource source = DockerAuthsCredentialSource.Parse(Encoding.UTF8.GetBytes($$"""{"registry.example":{"auth":"{{Auth("carol:pw3")}}" } }"""), dockercfg: true);
        Assert.Equal("carol", (await source.GetCredentialAsync("registry.example"))!.Username);
    }

    [Theory]
    [InlineData("{\"auths\":{\"registry.example\":{\"auth\":\"c2VjcmV0LXZhbHVl!\"}}}")]
    [InlineData("{\"auths\":{\"registry.example\":{\"auth\":\"c2VjcmV0LXZhbHVl\"}}}")]
    [InlineData("{\"auths\":\"secret-value\"}")]
    [InlineData("{\"auths\":{\"registry.example\":{\"auth\":\"secret-value")]
    public void Malformed_content_is_SC4011_and_never_quoted(string json)
    {
        SupplyChainException error = Assert.ThrowsAny<SupplyChainException>(() => DockerAuthsCredentialSource.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("SC4011", error.Code);
        Assert.DoesNotContain("secret-value", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVl", error.ToString(), StringComparison.Ordinal);
    }
}
