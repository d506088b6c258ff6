using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// A fact that needs Debian's docker-registry and node with tests/interop/sigstore-oci and tests/interop/sigstore-mock
/// installed. Skipped with the reason when one is missing, except under <c>CI=true</c>, where it runs and fails clearly.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SigstoreOciFactAttribute : FactAttribute
{
    private static readonly string[] Folders = ["sigstore-oci", "sigstore-mock"];

    /// <summary>Sets the skip reason when a tool is missing outside CI.</summary>
    public SigstoreOciFactAttribute()
    {
        bool nodeReady = NodeInterop.NodeExecutable is not null
            && Folders.All(f => Directory.Exists(Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", f, "node_modules")));
        if (!TestPaths.IsCi && (!nodeReady || !DistributionRegistry.IsAvailable))
        {
            Skip = "docker-registry, node or node_modules in tests/interop/{sigstore-oci,sigstore-mock} is absent (apt-get install docker-registry nodejs; npm ci there); under CI=true this is a failure";
        }
    }
}
