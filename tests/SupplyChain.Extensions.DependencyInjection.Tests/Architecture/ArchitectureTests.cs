using System.Reflection;
using SupplyChain.Extensions.DependencyInjection;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Extensions.DependencyInjection.Tests.Architecture;

/// <summary>The DI package references SupplyChain's libraries and the Microsoft.Extensions abstractions only (never ASP.NET Core); its public API is tracked.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Library = typeof(SupplyChainServiceCollectionExtensions).Assembly;

    [Fact]
    public void It_references_only_supplychain_and_the_extensions_abstractions()
    {
        Assert.All(Library.GetReferencedAssemblies().Select(a => a.Name!), r => Assert.True(
            r.StartsWith("System.", StringComparison.Ordinal) || r is "System" or "netstandard" or "mscorlib"
            || r.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
            || r is "SupplyChain.Core" or "SupplyChain.Http" or "SupplyChain.Tuf" or "SupplyChain.Oci" or "SupplyChain.Signing",
            $"SupplyChain.Extensions.DependencyInjection references {r}"));
    }

    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Extensions.DependencyInjection");
}
