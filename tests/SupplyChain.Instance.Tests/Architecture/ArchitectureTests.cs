using System.Reflection;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Instance.Tests.Architecture;

/// <summary>DESIGN.md: the dependency arrows of SupplyChain.Instance, no Console in a library, its public API tracked, every code catalogued.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Library = typeof(InstanceErrors).Assembly;

    [Fact]
    public void It_references_only_what_the_design_allows_and_no_console()
    {
        var references = Library.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(
            r.StartsWith("System.", StringComparison.Ordinal) || r is "System" or "netstandard" or "mscorlib" or "SupplyChain.Core" or "SupplyChain.Signing" or "SupplyChain.Http" or "BouncyCastle.Cryptography"
                || r.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || r.StartsWith("Microsoft.IdentityModel.", StringComparison.Ordinal),
            $"SupplyChain.Instance references {r}"));
        Assert.DoesNotContain("System.Console", references);
    }

    [Fact]
    public void It_needs_no_aspnetcore_so_signcli_runs_on_the_bare_runtime()
    {
        // instance serve listens with the BCL's HttpListener; a framework reference would put Microsoft.AspNetCore.App
        // into signcli's runtimeconfig.json (a `dotnet tool install` would then need the ASP.NET Core runtime).
        Assert.DoesNotContain(Library.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        string csproj = File.ReadAllText(Path.Combine(SupplyChain.Testing.TestPaths.RepositoryRoot, "src", "SupplyChain.Instance", "SupplyChain.Instance.csproj"));
        Assert.DoesNotContain("FrameworkReference", csproj, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_code_is_unique_in_its_range_and_listed_in_docs_errors_md() =>
        Assert.True(ApiAndErrorChecks.AssertErrorCodesCatalogued(typeof(InstanceErrors), "^SC8[0-9]{3}$") >= 1);

    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Instance");
}
