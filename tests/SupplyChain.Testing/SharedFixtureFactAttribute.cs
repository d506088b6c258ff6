using Xunit;

namespace SupplyChain.Testing;

/// <summary>
/// A fact that needs the shared fixtures (<c>../shared</c>). When they are absent the test is
/// skipped with the reason, except under <c>CI=true</c>, where it runs and fails on the missing folder.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when the shared folder is missing outside CI.</summary>
    public SharedFixtureFactAttribute()
    {
        if (TestPaths.Shared is null && !TestPaths.IsCi)
        {
            Skip = "the shared fixtures folder (../shared or $SUPPLYCHAIN_SHARED) is absent; under CI=true this is a failure";
        }
    }
}

/// <summary>The theory counterpart of <see cref="SharedFixtureFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedFixtureTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets the skip reason when the shared folder is missing outside CI.</summary>
    public SharedFixtureTheoryAttribute()
    {
        if (TestPaths.Shared is null && !TestPaths.IsCi)
        {
            Skip = "the shared fixtures folder (../shared or $SUPPLYCHAIN_SHARED) is absent; under CI=true this is a failure";
        }
    }
}
