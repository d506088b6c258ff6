using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests.Conformance;

/// <summary>
/// A fact that runs the tuf-conformance suite: it needs the shared folder (<c>../shared/tuf-conformance</c>) and a python3
/// with <c>cryptography</c> 40 or newer (what the suite's run.sh looks for). When either is absent the test is skipped
/// with the reason, except under <c>CI=true</c>, where it runs and fails. Everything else the suite needs (faketime,
/// pytest) is not a reason to skip: <c>.ci/run</c> installs it, and its absence fails the run with run.sh's message.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TufConformanceFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason outside CI.</summary>
    public TufConformanceFactAttribute()
    {
        if (TestPaths.IsCi)
        {
            return;
        }

        if (TufConformanceSuite.RunScript is not { } run || !File.Exists(run))
        {
            Skip = "the shared folder with tuf-conformance (../shared/tuf-conformance or $SUPPLYCHAIN_SHARED) is absent; under CI=true this is a failure";
        }
        else if (TufConformanceSuite.PythonWithCryptography is null)
        {
            Skip = "no python3 with cryptography 40 or newer (python3 on PATH, /usr/bin/python3) for the tuf-conformance simulator; under CI=true this is a failure";
        }
    }
}
