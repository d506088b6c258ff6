using System.Security.Cryptography;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>
/// Issue 13.4: credentials go only to the registry they were given for. Real HTTP: Debian's docker-registry behind
/// htpasswd (the named registry) and a bare recorder on another port (the host a base-image claim or a redirect names),
/// which asks for Basic auth, so a client holding credentials for it would send them.
/// </summary>
public sealed class CredentialBindingTests : IClassFixture<BasicAuthRegistryFixture>
{
    private readonly BasicAuthRegistryFixture _fixture;

    public CredentialBindingTests(BasicAuthRegistryFixture fixture) => _fixture = fixture;

    [RegistryFact]
    public async Task A_base_claim_naming_another_host_never_receives_the_named_registrys_credentials()
    {
        using RawHttpServer claimed = RawHttpServer.BasicChallengeRecorder();
        (string user, string password) = _fixture.Registry.Credentials!.Value;
        RegistryCredential credential = RegistryCredential.FromPassword(user, password);
        ImageReference app = await PushClaimingImageAsync(credential, claimed.Host);

        using (var client = new OciRegistryClient(new OciRegistryClientOptions { Credentials = new StaticCredentialSource(credential, _fixture.Registry.Host) }))
        {
            LineageTree tree = await new LineageWalker(client).WalkAsync(app);

            // The named registry answered (it requires the credentials), the claimed host was asked, and never with them.
            Assert.Equal(app.Digest, tree.Levels[0].Digest);
            Assert.Equal("SC4004", tree.Error?.Code);
        }

        Assert.NotEmpty(claimed.Requests);
        Assert.All(claimed.Requests, r => Assert.Null(r.Authorization));

        // The recorder does see credentials a source hands out for its host (the check above can fail).
        using (var leaky = new OciRegistryClient(new OciRegistryClientOptions { Credentials = new StaticCredentialSource(credential, [_fixture.Registry.Host, claimed.Host]) }))
        {
            await new LineageWalker(leaky).WalkAsync(app);
        }

        Assert.Contains(claimed.Requests, r => r.Authorization is not null);
    }

    [Fact]
    public async Task A_redirect_to_another_host_carries_no_authorization()
    {
        byte[] blob = Encoding.UTF8.GetBytes("blob behind a redirect");
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using RawHttpServer storage = RawHttpServer.Start((_, stream, ct) => RawHttpServer.WriteAsync(stream, 200, "OK", [("Content-Type", "application/octet-stream")], blob, ct));
        using RawHttpServer registry = RawHttpServer.Start((request, stream, ct) => request.Authorization is null
            ? RawHttpServer.WriteAsync(stream, 401, "Unauthorized", [("WWW-Authenticate", "Basic realm=\"registry\"")], [], ct)
            : RawHttpServer.WriteAsync(stream, 307, "Temporary Redirect", [("Location", $"http://{storage.Host}/storage{request.Target}")], [], ct));
        ImageReference repo = ImageReference.Parse(registry.Host + "/team/app");
        using var client = new OciRegistryClient(new OciRegistryClientOptions
        {
            Credentials = new StaticCredentialSource(RegistryCredential.FromPassword("u", "p"), registry.Host),
        });

        ReadOnlyMemory<byte> read = await client.GetBlobAsync(repo, new OciDescriptor("application/octet-stream", digest, blob.Length));

        Assert.Equal(blob, read.ToArray());
        Assert.Contains(registry.Requests, r => r.Authorization == "Basic dTpw");
        RawHttpRequest redirected = Assert.Single(storage.Requests);
        Assert.StartsWith("/storage/v2/team/app/blobs/", redirected.Target, StringComparison.Ordinal);
        Assert.Null(redirected.Authorization);
    }

    [Fact]
    public async Task Static_credentials_answer_only_for_their_registries_in_any_spelling()
    {
        var source = new StaticCredentialSource(RegistryCredential.FromPassword("u", "p"), ["Registry.Example:443", "localhost:5000"]);
        Assert.Equal(["registry.example", "localhost:5000"], source.Registries.Order(StringComparer.Ordinal).Reverse());
        Assert.NotNull(await source.GetCredentialAsync("registry.example"));
        Assert.NotNull(await source.GetCredentialAsync("REGISTRY.example:443"));
        Assert.NotNull(await source.GetCredentialAsync("LOCALHOST:5000"));
        Assert.Null(await source.GetCredentialAsync("registry.example:5000"));
        Assert.Null(await source.GetCredentialAsync("evil.example"));
        Assert.Null(await source.GetCredentialAsync("not a host"));
        Assert.Equal("SC4001", Assert.ThrowsAny<SupplyChainException>(() => new StaticCredentialSource(RegistryCredential.FromPassword("u", "p"), "bad host")).Code);
        Assert.Throws<ArgumentException>(() => new StaticCredentialSource(RegistryCredential.FromPassword("u", "p"), Array.Empty<string>()));
        Assert.Throws<ArgumentNullException>(() => new StaticCredentialSource(RegistryCredential.FromPassword("u", "p"), (string)null!));
    }

    /// <summary>Pushes to the named registry an image whose manifest claims a base on <paramref name="claimedHost"/>.</summary>
    private async Task<ImageReference> PushClaimingImageAsync(RegistryCredential credential, string claimedHost)
    {
        using var pusher = new OciRegistryClient(new OciRegistryClientOptions { Credentials = new StaticCredentialSource(credential, _fixture.Registry.Host) });
        ImageReference repo = ImageReference.Parse($"{_fixture.Registry.Host}/bound/app-{Guid.NewGuid():N}");
        var claim = new Dictionary<string, string>
        {
            [BaseImageClaim.NameKey] = claimedHost + "/base/image:v1",
            [BaseImageClaim.DigestKey] = "sha256:" + new string('b', 64),
        };
        PushedImage image = await TestImages.PushImageAsync(pusher, repo, "v1", annotations: claim);
        return image.Reference;
    }
}
