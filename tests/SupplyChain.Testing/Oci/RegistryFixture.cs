using Xunit;

namespace SupplyChain.Testing.Oci;

/// <summary>A <see cref="DistributionRegistry"/> without auth, shared by the tests of one class (<c>IClassFixture&lt;RegistryFixture&gt;</c>).</summary>
public class RegistryFixture : IDisposable
{
    private readonly Lazy<DistributionRegistry> _registry;

    /// <summary>Prepares the registry; it starts on first use, so skipped tests never start it.</summary>
    public RegistryFixture()
        : this(basicAuth: false)
    {
    }

    /// <summary>Prepares a registry with or without basic auth.</summary>
    /// <param name="basicAuth">Whether it requires htpasswd basic auth.</param>
    protected RegistryFixture(bool basicAuth)
    {
        _registry = new Lazy<DistributionRegistry>(() => DistributionRegistry.Start(basicAuth), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The running registry.</summary>
    public DistributionRegistry Registry => _registry.Value;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_registry.IsValueCreated)
        {
            _registry.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>A <see cref="DistributionRegistry"/> behind htpasswd basic auth, shared by the tests of one class.</summary>
public sealed class BasicAuthRegistryFixture : RegistryFixture
{
    /// <summary>Prepares the registry; it starts on first use.</summary>
    public BasicAuthRegistryFixture()
        : base(basicAuth: true)
    {
    }
}

/// <summary>
/// A fact that needs Debian's <c>docker-registry</c> (and, with <c>needsImageTools</c>, <c>umoci</c> and <c>skopeo</c>).
/// When missing, the test is skipped with the reason, except under <c>CI=true</c>, where it runs and fails clearly.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RegistryFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when the tools are missing outside CI.</summary>
    /// <param name="needsImageTools">Whether umoci and skopeo are needed too.</param>
    public RegistryFactAttribute(bool needsImageTools = false)
    {
        bool missing = !DistributionRegistry.IsAvailable || (needsImageTools && !UmociImages.IsAvailable);
        if (missing && !TestPaths.IsCi)
        {
            Skip = "docker-registry (and umoci/skopeo) are not installed (apt-get install docker-registry skopeo umoci apache2-utils); under CI=true this is a failure";
        }
    }
}
