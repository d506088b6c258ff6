using System.Reflection;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Policy.Tests.Architecture;

/// <summary>DESIGN.md: SupplyChain.Policy depends on Core and Oci only (plus YamlDotNet), no Console in a library, its public API tracked, every code catalogued.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Library = typeof(PolicyErrors).Assembly;

    [Fact]
    public void It_references_only_what_the_design_allows_and_no_console()
    {
        var references = Library.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(
            r.StartsWith("System.", StringComparison.Ordinal) || r is "System" or "netstandard" or "mscorlib" or "SupplyChain.Core" or "SupplyChain.Oci" or "YamlDotNet",
            $"SupplyChain.Policy references {r}"));
        Assert.DoesNotContain("System.Console", references);
        Assert.DoesNotContain("SupplyChain.Signing", references);
    }

    [Fact]
    public void Every_code_is_unique_in_its_range_and_listed_in_docs_errors_md() =>
        Assert.True(ApiAndErrorChecks.AssertErrorCodesCatalogued(typeof(PolicyErrors), "^SC5[0-9]{3}$") >= 14);

    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Policy");
}
