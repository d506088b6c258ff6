using System.Net;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Testing.Oci;
using static SupplyChain.Oci.Tests.Registry.StubRegistry;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>HTTPS by default; plain HTTP only for loopback or registries allowed insecure; redirects to HTTP refused.</summary>
public class TransportSecurityTests
{
    [Theory]
    [InlineData("registry.example/a:b", "https")]
    [InlineData("registry.example:5000/a:b", "https")]
    [InlineData("localhost:5000/a:b", "http")]
    [InlineData("localhost/a:b", "http")]
    [InlineData("127.0.0.1:5000/a:b", "http")]
    [InlineData("127.1.2.3:5000/a:b", "http")]
    [InlineData("[::1]:5000/a:b", "http")]
    [InlineData("ubuntu", "https")]
    public async Task The_scheme_is_https_except_for_loopback(string reference, string scheme)
    {
        var handler = new StubRegistryHandler(_ => ManifestAnswer());
        using OciRegistryClient client = Client(handler);
        await client.TryGetManifestAsync(ImageReference.Parse(reference));
        Assert.Equal(scheme, Assert.Single(handler.Requests).Uri.Scheme);
    }

    [Fact]
    public async Task Docker_Hub_is_reached_at_registry_1_docker_io()
    {
        var handler = new StubRegistryHandler(_ => ManifestAnswer());
        using OciRegistryClient client = Client(handler);
        await client.TryGetManifestAsync(ImageReference.Parse("ubuntu:22.04"));
        Assert.Equal("https://registry-1.docker.io/v2/library/ubuntu/manifests/22.04", Assert.Single(handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task Registries_allowed_insecure_use_plain_http()
    {
        var handler = new StubRegistryHandler(_ => ManifestAnswer());
        using (OciRegistryClient listed = Client(handler, new OciRegistryClientOptions { InsecureRegistries = ["registry.example:5000"] }))
        {
            await listed.TryGetManifestAsync(ImageReference.Parse("registry.example:5000/a:b"));
            await listed.TryGetManifestAsync(ImageReference.Parse("registry.example/a:b"));
        }

        using (OciRegistryClient all = Client(handler, new OciRegistryClientOptions { AllowInsecureRegistries = true }))
        {
            await all.TryGetManifestAsync(ImageReference.Parse("other.example/a:b"));
        }

        Assert.Equal(["http", "https", "http"], handler.Requests.Select(r => r.Uri.Scheme));
    }

    [Fact]
    public async Task A_plain_http_token_realm_for_a_non_loopback_host_is_SC4009()
    {
        var handler = new StubRegistryHandler(_ => StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", "Bearer realm=\"http://auth.example/token\"")));
        using OciRegistryClient client = Client(handler);
        Assert.Equal("SC4009", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.TryGetManifestAsync(Repo))).Code);
        Assert.DoesNotContain(handler.Requests, r => r.Uri.Host == "auth.example");
    }

    [Fact]
    public async Task A_plain_http_upload_location_for_a_non_loopback_host_is_SC4009()
    {
        var handler = new StubRegistryHandler(r => r.Method == HttpMethod.Head
            ? StubRegistryHandler.Answer(HttpStatusCode.NotFound)
            : StubRegistryHandler.Answer(HttpStatusCode.Accepted, null, null, ("Location", "http://evil.example/upload/1")));
        using OciRegistryClient client = Client(handler);
        Assert.Equal("SC4009", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => client.PushBlobAsync(Repo, "application/octet-stream", Utf8("x")))).Code);
        Assert.DoesNotContain(handler.Requests, r => r.Uri.Host == "evil.example");
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_another_host_named_by_a_location()
    {
        // The registry asks for Basic, so requests to it carry credentials; the storage host it redirects uploads to never does.
        var basic = new StubRegistryHandler(r =>
            r.Uri.Host == Host && r.Authorization is null ? StubRegistryHandler.Answer(HttpStatusCode.Unauthorized, null, null, ("WWW-Authenticate", "Basic realm=\"r\""))
            : r.Method == HttpMethod.Head ? StubRegistryHandler.Answer(HttpStatusCode.NotFound)
            : r.Method == HttpMethod.Post ? StubRegistryHandler.Answer(HttpStatusCode.Accepted, null, null, ("Location", "https://storage.example/upload/1?state=abc"))
            : StubRegistryHandler.Answer(HttpStatusCode.Created));
        using OciRegistryClient authed = Client(basic, new OciRegistryClientOptions { Credentials = new StaticCredentialSource(RegistryCredential.FromPassword("u", "p"), Host) });
        await authed.PushBlobAsync(Repo, "application/octet-stream", Utf8("x"));
        RecordedRequest put = Assert.Single(basic.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal("storage.example", put.Uri.Host);
        Assert.Contains("state=abc", put.Uri.Query, StringComparison.Ordinal);
        Assert.Contains("digest=sha256%3A", put.Uri.Query, StringComparison.Ordinal);
        Assert.Null(put.Authorization);
        Assert.Contains(basic.Requests, r => r.Uri.Host == Host && r.Authorization is not null);
    }
}
