using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// A fact that needs the HTTP load generator <c>hey</c> (Debian's <c>hey</c> package; Debian's <c>bombardier</c> package
/// is a game, not the HTTP tool) besides docker-registry, umoci and skopeo: skipped with the reason when missing,
/// except under <c>CI=true</c>, where it runs and fails clearly.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LoadToolFactAttribute : FactAttribute
{
    public LoadToolFactAttribute()
    {
        if ((!HeyRun.IsAvailable || !DistributionRegistry.IsAvailable || !UmociImages.IsAvailable) && !TestPaths.IsCi)
        {
            Skip = "hey, docker-registry, umoci and skopeo are not installed (apt-get install hey docker-registry skopeo umoci apache2-utils); under CI=true this is a failure";
        }
    }
}
