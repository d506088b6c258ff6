using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;
using OciTestRegistry = SupplyChain.Oci.Tests.Signatures.InMemoryRegistry;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Issue 13.7 / 21.1 through <c>signcli policy test</c>: under <c>defaultAction: allow</c>, an unsigned image escapes a
/// rule that requires a signature exactly when its reference's spelling makes the rule not match. Every spelling of the
/// issue must be denied (SC5102, exit 5); another registry really is unmatched (allowed, exit 0).
/// </summary>
public sealed class PolicySpellingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-spelling-").FullName;
    private readonly OciTestRegistry _registry = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("localhost:5000/apps/**", "localhost:5000/apps/x", "LOCALHOST:5000/apps/x")]
    [InlineData("localhost:5000/apps/**", "localhost:5000/apps/x", "LocalHost:5000/apps/x")]
    [InlineData("registry.example/apps/**", "registry.example/apps/x", "registry.example:443/apps/x")]
    [InlineData("registry.example/apps/**", "registry.example/apps/x", "REGISTRY.EXAMPLE:443/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "127.0.0.1:5000/apps/x", "127.1:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "127.0.0.1:5000/apps/x", "2130706433:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "127.0.0.1:5000/apps/x", "0x7f.1:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "127.0.0.1:5000/apps/x", "0177.0.0.1:5000/apps/x")]
    [InlineData("127.0.0.1:5000/apps/**", "127.0.0.1:5000/apps/x", "[::ffff:127.0.0.1]:5000/apps/x")]
    [InlineData("docker.io/library/**", "docker.io/library/debian", "index.docker.io/library/debian")]
    [InlineData("docker.io/library/**", "docker.io/library/debian", "Registry-1.Docker.IO/library/debian")]
    public async Task No_spelling_of_the_registry_escapes_the_rule(string glob, string pushedAt, string spelling)
    {
        PushedImage image = await TestImages.PushImageAsync(_registry, ImageReference.Parse(pushedAt), "v1");
        PushedImage elsewhere = await TestImages.PushImageAsync(_registry, ImageReference.Parse("localhost:5001/apps/x"), "v1");
        string policy = Path.Combine(_dir, "policy.yaml");
        File.WriteAllText(policy, $$"""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            defaultAction: allow
            rules:
              - name: apps
                images: ["{{glob}}"]
                authorities: [{ name: k, keyless: { issuer: "https://issuer.example", subject: "ci" } }]
            """);

        CliRun denied = Run("policy", "test", "--policy", policy, spelling + "@" + image.Descriptor.Digest);
        CliRun unmatched = Run("policy", "test", "--policy", policy, "localhost:5001/apps/x@" + elsewhere.Descriptor.Digest);

        Assert.True(denied.ExitCode == 5 && denied.Stdout.Contains("(SC5102;", StringComparison.Ordinal), denied.ToString());
        Assert.Contains("rule: apps", denied.Stdout, StringComparison.Ordinal);
        Assert.Contains("DENIED: " + pushedAt + "@", denied.Stdout, StringComparison.Ordinal);
        Assert.True(unmatched.ExitCode == 0, unmatched.ToString());
    }

    private CliRun Run(params string[] args) => CliRunner.RunWith(new TestEnvironment(), null, _ => _registry, args);
}
