using System.Text;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Issue 13.4 through signcli: flag, environment and <c>--authfile</c> credentials reach the registry of the IMAGE argument
/// (Debian's docker-registry behind htpasswd) and never the host a base-image claim names (a bare recorder on another
/// port that asks for Basic auth), through <c>lineage</c> and <c>verify --policy</c>.
/// </summary>
public sealed class CredentialBindingCliTests : IClassFixture<BasicAuthRegistryFixture>, IDisposable
{
    private readonly BasicAuthRegistryFixture _fixture;
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-bound-").FullName;

    public CredentialBindingCliTests(BasicAuthRegistryFixture fixture) => _fixture = fixture;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string User, string Password) Credentials => _fixture.Registry.Credentials!.Value;

    private static CliRun Run(Dictionary<string, string> environment, params string[] args) => CliRunner.RunWith(new TestEnvironment(environment), null, null, args);

    [RegistryFact]
    public async Task Lineage_with_flag_credentials_reads_the_named_registry_and_never_authenticates_to_the_claimed_host()
    {
        using RawHttpServer claimed = RawHttpServer.BasicChallengeRecorder();
        ImageReference app = await PushClaimingImageAsync(claimed.Host);

        CliRun run = Run([], "lineage", app.ToString(), "--registry-username", Credentials.User, "--registry-password", Credentials.Password);

        // Level 0 was read from the named registry (it needs the credentials); the walk then failed on the claimed host.
        Assert.True(run.ExitCode == 3 && run.Stdout.Contains(app.Digest!, StringComparison.Ordinal), run.ToString());
        Assert.Contains("SC4004", run.Stderr, StringComparison.Ordinal);
        Assert.NotEmpty(claimed.Requests);
        Assert.All(claimed.Requests, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(Credentials.Password, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [RegistryFact]
    public async Task Verify_policy_with_environment_credentials_never_authenticates_to_the_claimed_host()
    {
        // Trust before network: the claim is followed only once the image's own signature verified and a rule covers
        // the claimed host. So the image is signed (a key, recorded in a virtual Rekor) and both hosts are ruled.
        using RawHttpServer claimed = RawHttpServer.BasicChallengeRecorder();
        ImageReference app = await PushClaimingImageAsync(claimed.Host);
        using var sigstore = VirtualSigstore.Create();
        using var signer = new ImageKeySigner(sigstore);
        using (OciRegistryClient pusher = Pusher())
        {
            await signer.SignAsync(pusher, app.ToString());
        }

        string root = Path.Combine(_dir, "trusted_root.json");
        File.WriteAllBytes(root, sigstore.TrustedRootBytes);
        File.WriteAllText(Path.Combine(_dir, "app.pub"), signer.PublicKeyPem);
        string policy = Path.Combine(_dir, "policy.yaml");
        File.WriteAllText(policy, $$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: apps
                images: ["{{_fixture.Registry.Host}}/bound/**"]
                authorities: [{ name: k, key: { path: app.pub } }]
                lineage: { required: true, trustedRoots: [scratch] }
              - name: bases
                images: ["{{claimed.Host}}/base/**"]
                authorities: [{ name: k, key: { path: app.pub } }]
            """);
        var environment = new Dictionary<string, string> { ["REGISTRY_USERNAME"] = Credentials.User, ["REGISTRY_PASSWORD"] = Credentials.Password, ["DOCKER_CONFIG"] = _dir };

        CliRun run = Run(environment, "verify", app.ToString(), "--policy", policy, "--trusted-root", root, "--output", "json");

        // The image verified with the credentials (its registry needs them); the walk then asked the claimed host for the
        // base, without credentials, and was refused there (a registry failure below the image is a denial).
        Assert.True(run.ExitCode == 1 && run.Stdout.Contains("\"error\": \"SC5112\"", StringComparison.Ordinal), run.ToString());
        Assert.Contains("SC4004", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"identity\": \"key sha256:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(claimed.Requests, r => r.Target.StartsWith("/v2/base/image/manifests/sha256:", StringComparison.Ordinal));
        Assert.All(claimed.Requests, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(Credentials.Password, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    private OciRegistryClient Pusher() =>
        new(new OciRegistryClientOptions { Credentials = new StaticCredentialSource(RegistryCredential.FromPassword(Credentials.User, Credentials.Password), _fixture.Registry.Host) });

    [RegistryFact]
    public async Task Authfile_credentials_are_per_registry_and_a_missing_authfile_is_SC6002()
    {
        using RawHttpServer claimed = RawHttpServer.BasicChallengeRecorder();
        ImageReference app = await PushClaimingImageAsync(claimed.Host);
        string authFile = Path.Combine(_dir, "auth.json");
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(Credentials.User + ":" + Credentials.Password));
        File.WriteAllText(authFile, $$$$"""{"auths":{"{{{{_fixture.Registry.Host}}}}":{"auth":"{{{{auth}}}}"}}}""");

        CliRun viaFlag = Run([], "lineage", app.ToString(), "--authfile", authFile);
        CliRun viaEnvironment = Run(new() { ["REGISTRY_AUTH_FILE"] = authFile }, "lineage", app.ToString());
        CliRun anonymous = Run(new() { ["DOCKER_CONFIG"] = _dir }, "lineage", app.ToString());

        Assert.True(viaFlag.ExitCode == 3 && viaFlag.Stdout.Contains(app.Digest!, StringComparison.Ordinal), viaFlag.ToString());
        Assert.True(viaEnvironment.ExitCode == 3 && viaEnvironment.Stdout.Contains(app.Digest!, StringComparison.Ordinal), viaEnvironment.ToString());
        CliRunner.AssertFails(anonymous, ExitCodes.TrustRootOrConfiguration, "SC4004");
        Assert.DoesNotContain("[0]", anonymous.Stdout, StringComparison.Ordinal);
        Assert.All(claimed.Requests, r => Assert.Null(r.Authorization));
        CliRunner.AssertFails(Run([], "lineage", app.ToString(), "--authfile", Path.Combine(_dir, "absent.json")), ExitCodes.MalformedInput, "SC6002");
    }

    /// <summary>Pushes to the named registry an image whose manifest claims a base on <paramref name="claimedHost"/>.</summary>
    private async Task<ImageReference> PushClaimingImageAsync(string claimedHost)
    {
        var credential = RegistryCredential.FromPassword(Credentials.User, Credentials.Password);
        using var pusher = new OciRegistryClient(new OciRegistryClientOptions { Credentials = new StaticCredentialSource(credential, _fixture.Registry.Host) });
        ImageReference repo = ImageReference.Parse($"{_fixture.Registry.Host}/bound/app-{Guid.NewGuid():N}");
        var claim = new Dictionary<string, string>
        {
            [BaseImageClaim.NameKey] = claimedHost + "/base/image:v1",
            [BaseImageClaim.DigestKey] = "sha256:" + new string('b', 64),
        };
        return (await TestImages.PushImageAsync(pusher, repo, "v1", annotations: claim)).Reference;
    }
}
