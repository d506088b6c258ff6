using System.Text;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Testing.Oci;

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
        using RawHttpServer claimed = RawHttpServer.BasicChallengeRecorder();
        ImageReference app = await PushClaimingImageAsync(claimed.Host);
        string policy = Path.Combine(_dir, "policy.yaml");
        File.WriteAllText(policy, """
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            rules:
              - name: all
                images: ["**"]
                authorities: [{ name: k, keyless: { issuer: "https://issuer.example", subject: "someone" } }]
                lineage: { required: true, trustedRoots: [scratch] }
            """);
        var environment = new Dictionary<string, string> { ["REGISTRY_USERNAME"] = Credentials.User, ["REGISTRY_PASSWORD"] = Credentials.Password, ["DOCKER_CONFIG"] = _dir };

        CliRun run = Run(environment, "verify", app.ToString(), "--policy", policy, "--output", "json");

        // Denied (the image is unsigned, SC5102, exit 5) before its claim is read (trust before network): the claimed host
        // is never asked, so it cannot be sent the credentials. (A signed image whose claim names a ruled host that asks
        // for credentials is the enforcement suite's case credentials-to-a-claim-named-host.)
        Assert.True(run.ExitCode == 5 && run.Stdout.Contains("\"lineageEnd\": \"Denied\"", StringComparison.Ordinal), run.ToString());
        Assert.Empty(claimed.Requests);
    }

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
