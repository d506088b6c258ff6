using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A Docker <c>config.json</c> (a user's, or a Kubernetes pull secret's <c>.dockerconfigjson</c>): loaded by the real
/// credential source from a scratch file and asked for the credentials of several registries. Helpers are looked up in
/// an empty folder, so none ever runs.
/// </summary>
internal sealed class DockerConfigTarget : FuzzTarget
{
    private static readonly Lazy<string> Scratch = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "supplychain-fuzz-" + Environment.ProcessId);
        Directory.CreateDirectory(Path.Combine(dir, "no-helpers"));
        return dir;
    });

    private static readonly string[] Registries = ["docker.io", "ghcr.io", "localhost:5000", "[::1]:5000", "registry.example"];

    public override string Name => "docker-config";

    public override string Description => "Docker config.json -> DockerConfigCredentialSource.GetCredentialAsync (5 registries)";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string path = Path.Combine(Scratch.Value, "config.json");
        File.WriteAllBytes(path, input.ToArray());
        var source = new DockerConfigCredentialSource(path, Path.Combine(Scratch.Value, "no-helpers"), TimeSpan.FromSeconds(1));
        foreach (string registry in Registries)
        {
            source.GetCredentialAsync(registry).AsTask().GetAwaiter().GetResult();
        }
    }
}
