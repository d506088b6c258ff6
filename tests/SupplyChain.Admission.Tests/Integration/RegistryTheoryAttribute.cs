using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// A theory that needs Debian's docker-registry, umoci and skopeo (as <see cref="RegistryFactAttribute"/> with image
/// tools): skipped with the reason when missing, except under <c>CI=true</c>, where it runs and fails clearly.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RegistryTheoryAttribute : TheoryAttribute
{
    public RegistryTheoryAttribute()
    {
        if ((!DistributionRegistry.IsAvailable || !UmociImages.IsAvailable) && !TestPaths.IsCi)
        {
            Skip = "docker-registry, umoci and skopeo are not installed (apt-get install docker-registry skopeo umoci apache2-utils); under CI=true this is a failure";
        }
    }
}
