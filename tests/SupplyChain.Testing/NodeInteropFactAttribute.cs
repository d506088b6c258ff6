using Xunit;

namespace SupplyChain.Testing;

/// <summary>
/// A fact that runs sigstore-js through node (<c>tests/interop/sigstore-js</c>). When node or the
/// folder's <c>node_modules</c> (from <c>npm ci</c>) is absent the test is skipped with the reason,
/// except under <c>CI=true</c>, where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeInteropFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when node or node_modules is missing outside CI.</summary>
    public NodeInteropFactAttribute()
    {
        if (!TestPaths.IsCi && (NodeInterop.NodeExecutable is null || !Directory.Exists(Path.Combine(NodeInterop.SigstoreJsFolder, "node_modules"))))
        {
            Skip = "node or tests/interop/sigstore-js/node_modules is absent (run npm ci there); under CI=true this is a failure";
        }
    }
}
