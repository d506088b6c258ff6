using Xunit;

namespace SupplyChain.Testing;

/// <summary>
/// A fact that runs a real peer through node from folders under <c>tests/interop/</c> (sigstore-js by default;
/// also sigstore-mock, tuf-js, oidc-provider, cosign-keys). When node or a folder's <c>node_modules</c> (from
/// <c>npm ci</c>, which <c>.ci/run</c> does for every folder) is absent, the test is skipped with the reason,
/// except under <c>CI=true</c>, where it runs and fails, so a broken CI setup cannot pass silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeInteropFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when node or a folder's node_modules is missing outside CI.</summary>
    /// <param name="interopFolders">Folder names under tests/interop; sigstore-js when none are given.</param>
    public NodeInteropFactAttribute(params string[] interopFolders)
    {
        string[] folders = interopFolders is { Length: > 0 } ? interopFolders : ["sigstore-js"];
        string[] missing = folders
            .Where(f => !Directory.Exists(Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", f, "node_modules")))
            .ToArray();
        if (!TestPaths.IsCi && (NodeInterop.NodeExecutable is null || missing.Length > 0))
        {
            Skip = $"node or node_modules in tests/interop/{{{string.Join(",", missing)}}} is absent (run npm ci there); under CI=true this is a failure";
        }
    }
}
