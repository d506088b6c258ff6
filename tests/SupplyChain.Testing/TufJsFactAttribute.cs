using Xunit;

namespace SupplyChain.Testing;

/// <summary>
/// A fact that needs node and <c>tests/interop/tuf-js/node_modules</c> (<c>npm ci</c> there). Skipped when they are
/// absent outside CI; under <c>CI=true</c> it runs and fails, so a broken CI setup cannot pass silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TufJsFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when node or the tuf-js packages are absent outside CI.</summary>
    public TufJsFactAttribute()
    {
        if (!TestPaths.IsCi && (NodeInterop.NodeExecutable is null || !Directory.Exists(Path.Combine(NodeInterop.TufJsFolder, "node_modules"))))
        {
            Skip = "node or tests/interop/tuf-js/node_modules is absent (run npm ci there); under CI=true this is a failure";
        }
    }
}
