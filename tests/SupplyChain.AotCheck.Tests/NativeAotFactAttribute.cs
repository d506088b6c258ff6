using SupplyChain.Testing;

namespace SupplyChain.AotCheck.Tests;

/// <summary>
/// A fact that publishes with NativeAOT, which links with <c>clang</c> (and zlib). When clang is not on the PATH the
/// test is skipped with the reason, except under <c>CI=true</c>, where it runs and fails (.ci/run installs Debian's
/// clang and zlib1g-dev).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NativeAotFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when clang is missing outside CI.</summary>
    public NativeAotFactAttribute()
    {
        if (NativeSigncli.Clang is null && !TestPaths.IsCi)
        {
            Skip = "clang is not installed (apt-get install clang zlib1g-dev), NativeAOT cannot link; under CI=true this is a failure";
        }
    }
}
