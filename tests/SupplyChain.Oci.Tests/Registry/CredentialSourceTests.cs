using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>Docker config.json parsing, credential helpers (real shell scripts), environment and chained sources.</summary>
public sealed class CredentialSourceTests : IDisposable
{
    private readonly CredentialHelperScripts _scripts = new();

    public void Dispose() => _scripts.Dispose();

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private DockerConfigCredentialSource Source(string json, TimeSpan? timeout = null) => new(_scripts.Config(json), _scripts.Directory, timeout);

    [Fact]
    public async Task Auths_entries_decode_auth_username_password_and_identity_tokens()
    {
        DockerConfigCredentialSource source = Source($$$$"""
            {"auths":{
              "https://index.docker.io/v1/":{"auth":"{{{{B64("hub:pw:with:colons")}}}}"},
              "ghcr.io":{"username":"gh","password":"tok"},
              "https://Registry.Example:5000/v2/":{"identitytoken":"idt"},
              "empty.example":{}
            }}
            """);
        RegistryCredential hub = (await source.GetCredentialAsync("docker.io"))!;
        Assert.Equal(("hub", "pw:with:colons"), (hub.Username, hub.Password));
        Assert.Equal("gh", (await source.GetCredentialAsync("ghcr.io"))!.Username);
        Assert.Equal("idt", (await source.GetCredentialAsync("registry.example:5000"))!.IdentityToken);
        Assert.Null(await source.GetCredentialAsync("empty.example"));
        Assert.Null(await source.GetCredentialAsync("unknown.example"));
        Assert.DoesNotContain("pw", hub.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"auths\":{\"x.example\":{\"auth\":\"%%%\"}}}")]
    [InlineData("{\"auths\":{\"x.example\":{\"auth\":\"bm9jb2xvbg==\"}}}")]
    [InlineData("{\"auths\":[1]}")]
    public async Task A_malformed_config_is_SC4011(string json) =>
        Assert.Equal("SC4011", (await Assert.ThrowsAnyAsync<SupplyChainException>(async () => await Source(json).GetCredentialAsync("x.example"))).Code);

    [Fact]
    public async Task A_missing_config_means_anonymous()
    {
        var source = new DockerConfigCredentialSource(Path.Combine(_scripts.Directory, "absent.json"));
        Assert.Null(await source.GetCredentialAsync("docker.io"));
    }

    [Fact]
    public async Task A_credHelper_gets_the_server_url_on_stdin_and_wins_over_auths()
    {
        string seen = Path.Combine(_scripts.Directory, "seen");
        _scripts.Write("test", $$$$"""
            [ "$1" = get ] || exit 3
            cat >> '{{{{seen}}}}'; echo >> '{{{{seen}}}}'
            printf '{"ServerURL":"x","Username":"helper-user","Secret":"helper-secret"}'
            """);
        DockerConfigCredentialSource source = Source($$$$"""{"auths":{"docker.io":{"auth":"{{{{B64("a:b")}}}}"}},"credHelpers":{"docker.io":"test","ghcr.io":"test"}}""");
        Assert.Equal("helper-secret", (await source.GetCredentialAsync("docker.io"))!.Password);
        Assert.Equal("helper-user", (await source.GetCredentialAsync("ghcr.io"))!.Username);
        Assert.Equal(["https://index.docker.io/v1/", "ghcr.io"], File.ReadAllLines(seen));
    }

    [Fact]
    public async Task The_credsStore_serves_registries_without_an_entry_and_token_usernames_are_identity_tokens()
    {
        _scripts.Write("store", """printf '{"ServerURL":"x","Username":"<token>","Secret":"refresh"}'""");
        DockerConfigCredentialSource source = Source("""{"credsStore":"store"}""");
        Assert.Equal("refresh", (await source.GetCredentialAsync("quay.io"))!.IdentityToken);
    }

    [Fact]
    public async Task Credentials_not_found_means_anonymous()
    {
        _scripts.Write("empty", "echo 'credentials not found in native keychain'; exit 1");
        Assert.Null(await Source("""{"credsStore":"empty"}""").GetCredentialAsync("quay.io"));
    }

    [Theory]
    [InlineData("echo boom >&2; exit 2")]
    [InlineData("echo 'not json'")]
    [InlineData("printf '{\"Username\":\"u\"}'")]
    [InlineData("sleep 5")]
    public async Task A_failing_helper_is_SC4010(string script)
    {
        _scripts.Write("bad", script);
        DockerConfigCredentialSource source = Source("""{"credHelpers":{"quay.io":"bad"}}""", TimeSpan.FromMilliseconds(500));
        Assert.Equal("SC4010", (await Assert.ThrowsAnyAsync<SupplyChainException>(async () => await source.GetCredentialAsync("quay.io"))).Code);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("../../bin/sh")]
    public async Task A_missing_or_unsafe_helper_name_is_SC4010(string helper)
    {
        DockerConfigCredentialSource source = Source($$$$"""{"credHelpers":{"quay.io":"{{{{helper}}}}"}}""");
        Assert.Equal("SC4010", (await Assert.ThrowsAnyAsync<SupplyChainException>(async () => await source.GetCredentialAsync("quay.io"))).Code);
    }

    [Fact]
    public async Task Environment_credentials_and_chains()
    {
        var env = new Dictionary<string, string> { ["REGISTRY_USERNAME"] = "ci", ["REGISTRY_PASSWORD"] = "pw" };
        StaticCredentialSource fromEnv = StaticCredentialSource.FromEnvironment(env.GetValueOrDefault, "ghcr.io")!;
        Assert.Null(StaticCredentialSource.FromEnvironment(_ => null, "ghcr.io"));
        DockerConfigCredentialSource config = Source($$$$"""{"auths":{"quay.io":{"auth":"{{{{B64("q:r")}}}}"}}}""");
        var chain = new ChainedCredentialSource(fromEnv, null, config);
        Assert.Equal("ci", (await chain.GetCredentialAsync("ghcr.io"))!.Username);
        Assert.Equal("q", (await chain.GetCredentialAsync("quay.io"))!.Username);
        Assert.Null(await chain.GetCredentialAsync("docker.io"));
    }
}
