using System.Reflection;
using SupplyChain.Testing.Architecture;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests.Architecture;

/// <summary>DESIGN.md: Tuf depends on Core and the shared HTTP layer only, no Console; its public API is tracked; every code is catalogued.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Tuf = typeof(TufClient).Assembly;

    [Fact]
    public void Tuf_references_only_the_bcl_core_and_the_http_layer_and_no_console()
    {
        var references = Tuf.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(
            r.StartsWith("System.", StringComparison.Ordinal) || r is "System" or "SupplyChain.Core" or "SupplyChain.Http" or "Microsoft.Extensions.Logging.Abstractions" or "netstandard" or "mscorlib",
            $"SupplyChain.Tuf references {r}"));
        Assert.DoesNotContain("System.Console", references);
    }

    [Fact]
    public void Every_tuf_code_is_unique_in_the_SC3xxx_range_and_listed_in_docs_errors_md() =>
        Assert.True(ApiAndErrorChecks.AssertErrorCodesCatalogued(typeof(TufErrors), "^SC3[0-9]{3}$") >= 20);

    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Tuf");
}
