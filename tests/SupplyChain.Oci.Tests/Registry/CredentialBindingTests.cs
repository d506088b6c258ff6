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

        // Flag/environment credentials (bound to the named registry), and a Docker config.json as the webhook's --docker-config
        // reads it (an auths entry for the named registry, and a credsStore that would answer for any host if asked wrongly).
        using var folder = new TempFolder();
        string config = Path.Combine(folder.Path, "config.json");
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        await File.WriteAllTextAsync(config, $$$$"""{"auths":{"http://{{{{_fixture.Registry.Host}}}}/v2/":{"auth":"{{{{auth}}}}"}}}""");
        IRegistryCredentialSource[] sources = [new StaticCredentialSource(credential, _fixture.Registry.Host), new DockerConfigCredentialSource(config)];
        foreach (IRegistryCredentialSource source in sources)
        {
            await WalkAsync(source, app);
        }

        Assert.Equal(2, claimed.Requests.Count);
        Assert.All(claimed.Requests, r => Assert.Null(r.Authorization));

        // The recorder does see credentials a source hands out for its host (the check above can fail).
        await WalkAsync(new StaticCredentialSource(credential, [_fixture.Registry.Host, claimed.Host]), app);
        Assert.Contains(claimed.Requests, r => r.Authorization is not null);
    }

    private static async Task WalkAsync(IRegistryCredentialSource source, ImageReference app)
    {
        using (var client = new OciRegistryClient(new OciRegistryClientOptions { Credentials = source }))
        {
            LineageTree tree = await new LineageWalker(client).WalkAsync(app);

            // The named registry answered (it requires the credentials), the claimed host was asked, and never with them.
            Assert.Equal(app.Digest, tree.Levels[0].Digest);
            Assert.Equal("SC4004", tree.Error?.Code);
        }
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

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sc-bound-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
