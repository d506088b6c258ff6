using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Interop;

/// <summary>
/// A fact that needs node, <c>tests/interop/sigstore-mock/node_modules</c> and <c>tests/interop/sigstore-js/node_modules</c>.
/// Skipped with the reason when they are missing, except under <c>CI=true</c>, where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SigstoreMockFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason outside CI when something is missing.</summary>
    public SigstoreMockFactAttribute()
    {
        if (!TestPaths.IsCi && (NodeInterop.NodeExecutable is null
            || !Directory.Exists(Path.Combine(MockSigstoreServer.Folder, "node_modules"))
            || !Directory.Exists(Path.Combine(NodeInterop.SigstoreJsFolder, "node_modules"))))
        {
            Skip = "node or node_modules in tests/interop/sigstore-mock or tests/interop/sigstore-js is absent (run npm ci there); under CI=true this is a failure";
        }
    }
}
