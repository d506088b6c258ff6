using System.Reflection;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Http.Tests.Architecture;

/// <summary>DESIGN.md: the HTTP layer depends on Core (error types) and the logging abstractions only, no Console; its public API is tracked.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Http = typeof(BoundedHttpClient).Assembly;

    [Fact]
    public void Http_references_only_the_bcl_core_and_the_logging_abstractions()
    {
        var references = Http.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(
            r.StartsWith("System.", StringComparison.Ordinal) || r is "System" or "SupplyChain.Core" or "Microsoft.Extensions.Logging.Abstractions" or "netstandard" or "mscorlib",
            $"SupplyChain.Http references {r}"));
        Assert.DoesNotContain("System.Console", references);
    }

    [Fact]
    public void The_public_api_is_declared_for_the_analyzer() => ApiAndErrorChecks.AssertPublicApiDeclared("SupplyChain.Http");
}
