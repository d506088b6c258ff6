using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// A fact that runs <c>kubectl kustomize</c> (no cluster involved). When kubectl is not on the PATH the test is skipped
/// with the reason, except under <c>CI=true</c>, where it runs and fails (.ci/run installs Debian's kubernetes-client).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubectlFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when kubectl is missing outside CI.</summary>
    public KubectlFactAttribute()
    {
        if (Kubectl.Executable is null && !TestPaths.IsCi)
        {
            Skip = "kubectl is not installed (apt-get install kubernetes-client); under CI=true this is a failure";
        }
    }
}
