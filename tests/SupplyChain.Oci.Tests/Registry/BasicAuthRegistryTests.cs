using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>The client against a real registry behind htpasswd basic auth, with credentials from every source.</summary>
public class BasicAuthRegistryTests : IClassFixture<BasicAuthRegistryFixture>
{
    private readonly BasicAuthRegistryFixture _fixture;

    public BasicAuthRegistryTests(BasicAuthRegistryFixture fixture)
    {
        _fixture = fixture;
    }

    private DistributionRegistry Registry => _fixture.Registry;

    private ImageReference Repo() => ImageReference.Parse($"{Registry.Host}/auth/app-{Guid.NewGuid():N}");

    [RegistryFact]
    public async Task Good_credentials_push_and_pull()
    {
        (string user, string password) = Registry.Credentials!.Value;
        using var client = new OciRegistryClient(new OciRegistryClientOptions { Credentials = new StaticCredentialSource(RegistryCredential.FromPassword(user, password), Registry.Host) });
        ImageReference repo = Repo();
        PushedImage image = await TestImages.PushImageAsync(client, repo, "v1");
        Assert.Equal(image.Descriptor.Digest, (await client.ResolveAsync(repo.WithTag("v1"))).Digest);
    }

    [RegistryFact]
    public async Task Bad_or_missing_credentials_are_SC4004()
    {
        using var wrong = new OciRegistryClient(new OciRegistryClientOptions { Credentials = new StaticCredentialSource(RegistryCredential.FromPassword("tester", "wrong"), Registry.Host) });
        Assert.Equal("SC4004", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => wrong.TryGetManifestAsync(Repo()))).Code);

        using var anonymous = new OciRegistryClient();
        Assert.Equal("SC4004", (await Assert.ThrowsAnyAsync<SupplyChainException>(() => anonymous.TryGetManifestAsync(Repo()))).Code);
    }

    [RegistryFact]
    public async Task Credentials_come_from_a_docker_config_auths_entry()
    {
        (string user, string password) = Registry.Credentials!.Value;
        string dir = Directory.CreateTempSubdirectory("sc-docker-").FullName;
        try
        {
            string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
            File.WriteAllText(Path.Combine(dir, "config.json"), "{\"auths\":{\"http://" + Registry.Host + "/v2/\":{\"auth\":\"" + auth + "\"}}}");
            var source = DockerConfigCredentialSource.FromEnvironment(name => name == "DOCKER_CONFIG" ? dir : null);
            using var client = new OciRegistryClient(new OciRegistryClientOptions { Credentials = source });
            ImageReference repository = Repo();
            PushedImage pushed = await TestImages.PushImageAsync(client, repository, "v1");

            // The push went through with the config's credentials; reading it back proves it landed under the tag.
            Assert.Equal(pushed.Descriptor.Digest, (await client.ResolveAsync(repository.WithTag("v1"))).Digest);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RegistryFact]
    public async Task Credentials_come_from_a_credential_helper()
    {
        (string user, string password) = Registry.Credentials!.Value;
        using var helpers = new CredentialHelperScripts();
        string seen = Path.Combine(helpers.Directory, "server-url");
        helpers.Write("test", $$"""
            cat > '{{seen}}'
            printf '{"ServerURL":"x","Username":"{{user}}","Secret":"{{password}}"}'
            """);
        string config = helpers.Config($$$"""{"credHelpers":{"{{{Registry.Host}}}":"test"}}""");
        using var client = new OciRegistryClient(new OciRegistryClientOptions { Credentials = new DockerConfigCredentialSource(config, helpers.Directory) });
        await TestImages.PushImageAsync(client, Repo(), "v1");
        Assert.Equal(Registry.Host, File.ReadAllText(seen));
    }
}
